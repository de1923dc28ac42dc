package controller

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
)

// The text of effects in transcripts: one line per effect, requests with
// one indented line per partition. Consecutive Sends of one request to
// several brokers (UpdateMetadata) are one line naming them all.

func printState(s PartitionState) string {
	return fmt.Sprintf("leader=%d epoch=%d isr=%s", s.Leader, s.LeaderEpoch, ids(s.ISR))
}

func ids(s []int32) string {
	parts := make([]string, len(s))
	for i, id := range s {
		parts[i] = fmt.Sprint(id)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func printStoreEffect(eff Effect, r Result) string {
	var what string
	switch e := eff.(type) {
	case CreateState:
		what = fmt.Sprintf("create %s/%d %s controller_epoch=%d", e.Topic, e.Partition, printState(e.State), e.State.ControllerEpoch)
	case UpdateState:
		what = fmt.Sprintf("update %s/%d %s controller_epoch=%d at v%d", e.Topic, e.Partition, printState(e.State), e.State.ControllerEpoch, e.State.Version)
	case ReadState:
		what = fmt.Sprintf("read %s/%d", e.Topic, e.Partition)
	case DeleteIsrChanges:
		what = fmt.Sprintf("delete-isr-changes %s", strings.Join(e.Names, " "))
	case DeleteLogDirEvents:
		what = fmt.Sprintf("delete-log-dir-events %s", strings.Join(e.Names, " "))
	case RemoveTopic:
		what = "remove-topic " + e.Topic
	case CancelTopicDeletion:
		what = "cancel-topic-deletion " + e.Topic
	case DeletePreferredElection:
		what = "delete-preferred-election"
	case WriteAssignment:
		a := e.Assignment
		what = fmt.Sprintf("write-assignment %s/%d replicas=%s adding=%s removing=%s", e.Partition.Topic, e.Partition.Partition, ids(a.Replicas), ids(a.Adding), ids(a.Removing))
	case ReadStateWatched:
		what = fmt.Sprintf("read-and-watch %s/%d", e.Partition.Topic, e.Partition.Partition)
	case RemoveReassignRequests:
		what = "remove-reassign-requests " + printEntries(e)
	}
	res := r.Outcome.String()
	if r.Outcome == OutcomeOK {
		switch eff.(type) {
		case CreateState, UpdateState:
			res += fmt.Sprintf(" v%d", r.State.Version)
		case ReadState, ReadStateWatched:
			res += fmt.Sprintf(" %s v%d", printState(r.State), r.State.Version)
		}
	}
	return what + " -> " + res
}

func printSend(brokers []int32, req kmsg.Request) string {
	var b strings.Builder
	to := make([]string, len(brokers))
	for i, id := range brokers {
		to[i] = fmt.Sprint(id)
	}
	fmt.Fprintf(&b, "send %s %s", strings.Join(to, ","), kmsg.NameForKey(req.Key()))
	switch r := req.(type) {
	case *kmsg.LeaderAndISRRequest:
		fmt.Fprintf(&b, " controller_epoch=%d", r.ControllerEpoch)
		for _, t := range r.TopicStates {
			for _, p := range t.PartitionStates {
				fmt.Fprintf(&b, "\n  %s/%d leader=%d epoch=%d isr=%s replicas=%s v%d", t.Topic, p.Partition, p.Leader, p.LeaderEpoch, ids(p.ISR), ids(p.Replicas), p.ZKVersion)
			}
		}
	case *kmsg.UpdateMetadataRequest:
		live := make([]int32, len(r.LiveBrokers))
		for i, lb := range r.LiveBrokers {
			live[i] = lb.ID
		}
		fmt.Fprintf(&b, " controller_epoch=%d live=%s", r.ControllerEpoch, ids(live))
		for _, t := range r.TopicStates {
			for _, p := range t.PartitionStates {
				if p.Leader == metadatacache.LeaderDuringDelete {
					fmt.Fprintf(&b, "\n  %s deleted", t.Topic)
					continue
				}
				fmt.Fprintf(&b, "\n  %s/%d leader=%d epoch=%d isr=%s replicas=%s", t.Topic, p.Partition, p.Leader, p.LeaderEpoch, ids(p.ISR), ids(p.Replicas))
			}
		}
	case *kmsg.StopReplicaRequest:
		fmt.Fprintf(&b, " controller_epoch=%d", r.ControllerEpoch)
		for _, t := range r.Topics {
			for _, p := range t.PartitionStates {
				fmt.Fprintf(&b, "\n  %s/%d delete=%t epoch=%d", t.Topic, p.Partition, p.Delete, p.LeaderEpoch)
			}
		}
	}
	return b.String()
}

func printReply(r Reply) string {
	if r.Err != nil {
		return "reply error " + errName(r.Err)
	}
	switch v := r.Value.(type) {
	case []TopicPartition:
		parts := make([]string, len(v))
		for i, tp := range v {
			parts[i] = fmt.Sprintf("%s/%d", tp.Topic, tp.Partition)
		}
		return "reply still leading [" + strings.Join(parts, " ") + "]"
	case map[TopicPartition]error:
		var lines []string
		for _, tp := range sortedPartitions(v) {
			res := "ok"
			if err := v[tp]; err != nil {
				res = errName(err)
				if msg := err.Error(); msg != res {
					res += ": " + msg
				}
			}
			lines = append(lines, fmt.Sprintf("\n  %s/%d %s", tp.Topic, tp.Partition, res))
		}
		return "reply reassignments" + strings.Join(lines, "")
	case map[TopicPartition]Reassignment:
		var lines []string
		for _, tp := range sortedPartitions(v) {
			r := v[tp]
			lines = append(lines, fmt.Sprintf("\n  %s/%d replicas=%s adding=%s removing=%s", tp.Topic, tp.Partition, ids(r.Replicas), ids(r.Adding), ids(r.Removing)))
		}
		return "reply listed" + strings.Join(lines, "")
	case map[TopicPartition]ElectionResult:
		var lines []string
		for _, tp := range sortedPartitions(v) {
			res := v[tp]
			line := fmt.Sprintf("\n  %s/%d leader=%d", tp.Topic, tp.Partition, res.Leader)
			if res.Err != nil {
				line += " " + errName(res.Err)
			}
			lines = append(lines, line)
		}
		return "reply elected" + strings.Join(lines, "")
	}
	return fmt.Sprintf("reply %v", r.Value)
}

// errName is a Kafka error's name, or the error's text.
func errName(err error) string {
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return ke.Message
	}
	return err.Error()
}

// printEffects prints a Ready's effects, joining consecutive sends of
// one request.
func printEffects(effects []Effect, results map[EffectID]Result) []string {
	var out []string
	for i := 0; i < len(effects); i++ {
		switch e := effects[i].(type) {
		case Send:
			brokers := []int32{e.Broker}
			for i+1 < len(effects) {
				next, ok := effects[i+1].(Send)
				if !ok || next.Request != e.Request {
					break
				}
				brokers = append(brokers, next.Broker)
				i++
			}
			slices.Sort(brokers)
			out = append(out, printSend(brokers, e.Request))
		case Reply:
			out = append(out, printReply(e))
		case Resign:
			out = append(out, "resign: "+e.Reason)
		default:
			out = append(out, printStoreEffect(e, results[effectID(e)]))
		}
	}
	return out
}

func effectID(eff Effect) EffectID {
	switch e := eff.(type) {
	case CreateState:
		return e.ID
	case UpdateState:
		return e.ID
	case ReadState:
		return e.ID
	case DeleteIsrChanges:
		return e.ID
	case DeleteLogDirEvents:
		return e.ID
	case RemoveTopic:
		return e.ID
	case CancelTopicDeletion:
		return e.ID
	case DeletePreferredElection:
		return e.ID
	case WriteAssignment:
		return e.ID
	case ReadStateWatched:
		return e.ID
	case RemoveReassignRequests:
		return e.ID
	}
	return 0
}

func printEntries(e RemoveReassignRequests) string {
	if e.All {
		return "all"
	}
	parts := make([]string, len(e.Partitions))
	for i, tp := range e.Partitions {
		parts[i] = fmt.Sprintf("%s/%d", tp.Topic, tp.Partition)
	}
	out := "[" + strings.Join(parts, " ") + "]"
	if e.Replicas != nil {
		out += " asking for " + ids(e.Replicas)
	}
	return out
}
