package snapshot

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
)

// buildGroups turns what was read into Groups: lag against the log ends
// of this refresh, the trend, and consume rates against prev. A group
// whose turn it was not keeps its last values; when the listing itself
// failed every group of prev is kept.
func buildGroups(r groupsRead, ends map[topicPartition]int64, prev *Snapshot, now time.Time) []Group {
	switch {
	case !r.known:
		return nil
	case r.err != nil:
		if prev == nil {
			return nil
		}
		return prev.Groups
	}
	out := make([]Group, 0, len(r.listed))
	for _, l := range r.listed {
		before, seen := prevGroup(prev, l.Group)
		d, described := r.described[l.Group]
		switch {
		case described && errors.Is(d.err, admin.ErrNotFound):
			continue // deleted since the listing
		case described && d.err == nil:
			out = append(out, describedNow(d, ends, before, seen, now))
		case seen:
			before.State = l.State // the listing is fresh even when the rest is not
			if described {
				before.Err = d.err
			}
			out = append(out, before)
		default:
			out = append(out, Group{Name: l.Group, State: l.State, ProtocolType: l.ProtocolType,
				Coordinator: l.Coordinator, Lag: Unknown, Err: d.err})
		}
	}
	slices.SortFunc(out, func(a, b Group) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// describedNow is a group described in this refresh.
func describedNow(d describedGroup, ends map[topicPartition]int64, before Group, seen bool, now time.Time) Group {
	g := Group{Name: d.desc.Group, State: d.desc.State, ProtocolType: d.desc.ProtocolType, Protocol: d.desc.Protocol,
		Coordinator: d.desc.Coordinator.ID, DescribedAt: now}
	g.Members = members(d.desc.Members)
	g.Partitions = lagRows(d.desc, d.committed, ends)
	g.Topics = topicsOfRows(g.Partitions)
	g.Lag = totalLag(g.Partitions)
	g.LagPartial = g.Lag != Unknown && slices.ContainsFunc(g.Partitions, func(r GroupPartition) bool {
		return r.Committed != Unknown && r.LogEnd == Unknown
	})
	var history []int64
	if seen {
		history = before.LagHistory
		g.ConsumeRates = consumeRates(g, before)
	}
	if g.Lag != Unknown {
		history = append(slices.Clone(history), g.Lag)
	}
	g.LagHistory = history[max(0, len(history)-TrendLen):]
	return g
}

func members(ms []admin.GroupMember) []Member {
	out := make([]Member, 0, len(ms))
	for _, m := range ms {
		n := 0
		for _, ps := range m.Assignment {
			n += len(ps)
		}
		out = append(out, Member{ID: m.MemberID, InstanceID: m.InstanceID, ClientID: m.ClientID, Host: m.Host, Partitions: n})
	}
	return out
}

// lagRows joins the members' assignments and the committed offsets, as
// kafka-consumer-groups --describe does, and measures each against the
// partition's log end.
func lagRows(desc admin.Group, committed []admin.GroupOffset, ends map[topicPartition]int64) []GroupPartition {
	byTP := map[topicPartition]*GroupPartition{}
	row := func(topic string, p int32) *GroupPartition {
		k := topicPartition{topic, p}
		if r, ok := byTP[k]; ok {
			return r
		}
		r := &GroupPartition{Topic: topic, Partition: p, Committed: Unknown, LogEnd: offsetOr(ends, k), Lag: Unknown}
		byTP[k] = r
		return r
	}
	for _, m := range desc.Members {
		for topic, ps := range m.Assignment {
			for _, p := range ps {
				r := row(topic, p)
				r.MemberID, r.Host, r.ClientID = m.MemberID, m.Host, m.ClientID
			}
		}
	}
	for _, o := range committed {
		row(o.Topic, o.Partition).Committed = o.Offset
	}
	out := make([]GroupPartition, 0, len(byTP))
	for _, r := range byTP {
		if r.Committed != Unknown && r.LogEnd != Unknown {
			// The offsets were read a moment apart: a commit newer
			// than the log end read is no lag, not a negative one.
			r.Lag = max(r.LogEnd-r.Committed, 0)
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b GroupPartition) int {
		if c := strings.Compare(a.Topic, b.Topic); c != 0 {
			return c
		}
		return int(a.Partition) - int(b.Partition)
	})
	return out
}

func topicsOfRows(rows []GroupPartition) []string {
	var out []string
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1] != r.Topic {
			out = append(out, r.Topic)
		}
	}
	return out
}

func totalLag(rows []GroupPartition) int64 {
	total, known := int64(0), false
	for _, r := range rows {
		if r.Lag != Unknown {
			total += r.Lag
			known = true
		}
	}
	if !known {
		return Unknown
	}
	return total
}

// consumeRates is, per topic, the growth of the group's committed offsets
// per second since before. A partition whose commit went backwards (a
// reset) or was not there before adds nothing; a topic none of whose
// partitions compare is left out rather than shown as 0.
func consumeRates(g, before Group) map[string]float64 {
	elapsed := g.DescribedAt.Sub(before.DescribedAt).Seconds()
	if elapsed <= 0 {
		return maps.Clone(before.ConsumeRates)
	}
	was := map[topicPartition]int64{}
	for _, p := range before.Partitions {
		if p.Committed != Unknown {
			was[topicPartition{p.Topic, p.Partition}] = p.Committed
		}
	}
	rates := map[string]float64{}
	for _, p := range g.Partitions {
		w, ok := was[topicPartition{p.Topic, p.Partition}]
		if !ok || p.Committed == Unknown || p.Committed < w {
			continue
		}
		rates[p.Topic] += float64(p.Committed-w) / elapsed
	}
	return rates
}

// addConsumeRates sums every group's consume rate of each topic into the
// topic: what all groups together read from it.
func addConsumeRates(topics []Topic, groups []Group) {
	sum := map[string]float64{}
	known := map[string]bool{}
	for _, g := range groups {
		for topic, r := range g.ConsumeRates {
			sum[topic] += r
			known[topic] = true
		}
	}
	for i := range topics {
		t := &topics[i]
		t.ConsumeRate, t.ConsumeRateKnown = sum[t.Name], known[t.Name]
	}
}
