package controller

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// onLogDirEvents reads the pending log dir event notifications, watching
// for more, and steps the core with them.
func (l *loop) onLogDirEvents(ctx context.Context) error {
	names, brokers, ch, err := l.c.cfg.Store.LogDirEvents(ctx)
	l.watch(ctx, ch, event{kind: logDirEventsChanged})
	if err != nil {
		return err
	}
	return l.step(ctx, LogDirEventsRead{Names: names, Brokers: brokers})
}

// leaderAndIsrAnswered is the channels' hook for every LeaderAndIsr a
// broker answered: the partitions it refused with KAFKA_STORAGE_ERROR are
// replicas in a log dir it took offline, which the loop then handles as
// ReplicasOffline (Kafka's handleLeaderAndIsrResponse). It runs on the
// broker's queue goroutine and only enqueues; ctx ends with the queue.
func (l *loop) leaderAndIsrAnswered(ctx context.Context, broker int32, req kmsg.Request, resp kmsg.Response) {
	lreq, ok := req.(*kmsg.LeaderAndISRRequest)
	lresp, ok2 := resp.(*kmsg.LeaderAndISRResponse)
	if !ok || !ok2 {
		return
	}
	offline := storageErrors(lreq, lresp)
	if len(offline) == 0 {
		return
	}
	ev := event{kind: runFunc, fn: func(ctx context.Context, l *loop) error {
		return l.step(ctx, ReplicasOffline{Broker: broker, Partitions: offline})
	}}
	select {
	case l.events <- ev:
	case <-ctx.Done():
	}
}

// storageErrors lists the partitions a LeaderAndIsr response refuses with
// KAFKA_STORAGE_ERROR; v5+ responses name topics by id, which the request
// maps back to names.
func storageErrors(req *kmsg.LeaderAndISRRequest, resp *kmsg.LeaderAndISRResponse) []TopicPartition {
	code := kerr.KafkaStorageError.Code
	var out []TopicPartition
	for _, p := range resp.Partitions {
		if p.ErrorCode == code {
			out = append(out, TopicPartition{p.Topic, p.Partition})
		}
	}
	names := map[[16]byte]string{}
	for _, ts := range req.TopicStates {
		names[ts.TopicID] = ts.Topic
	}
	for _, t := range resp.Topics {
		name, known := names[t.TopicID]
		for _, p := range t.Partitions {
			if known && p.ErrorCode == code {
				out = append(out, TopicPartition{name, p.Partition})
			}
		}
	}
	return out
}
