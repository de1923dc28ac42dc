package snapshot

import (
	"slices"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
)

// buildTopics turns metadata plus extras into Topics with their counts and
// rates.
func buildTopics(topics []admin.Topic, ex extras, prev *Snapshot, now time.Time) []Topic {
	out := make([]Topic, 0, len(topics))
	for _, at := range topics {
		v, ok := ex.minISR[at.Name]
		t := Topic{Name: at.Name, ID: at.ID, Internal: at.Internal, Err: at.Err,
			ReplicationFactor: at.ReplicationFactor(), MinISR: parseMinISR(v, ok), Size: sizeOr(ex.sizes, at.Name),
			ACLs: aclsFor(ex.acls, at.Name), ACLsKnown: ex.aclsKnown}
		var before *Topic
		if prev != nil {
			if pt, ok := prev.Topic(at.Name); ok && pt.ID == at.ID {
				before = &pt // a recreated topic (new id) starts its rates afresh
			}
		}
		for _, ap := range at.Partitions {
			p := buildPartition(at.Name, ap, ex)
			p.seen = seenHW(p, before, now)
			if before != nil {
				p.Rate, p.RateKnown = partitionRate(p, *before, now)
			}
			t.add(p, rateMissing(p, before))
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b Topic) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func buildPartition(topic string, ap admin.Partition, ex extras) Partition {
	key := topicPartition{topic, ap.ID}
	p := Partition{
		ID: ap.ID, Leader: ap.Leader, LeaderEpoch: ap.LeaderEpoch,
		Replicas: slices.Clone(ap.Replicas), ISR: slices.Clone(ap.ISR), Err: ap.Err,
		LogStart: offsetOr(ex.start, key), HighWatermark: offsetOr(ex.end, key),
		LogEnd: offsetOr(ex.logEnd, key), LastStable: offsetOr(ex.lastStable, key),
	}
	for _, r := range ap.Replicas {
		if !slices.Contains(ap.ISR, r) {
			p.Missing = append(p.Missing, r)
		}
	}
	return p
}

// partitionRate is the partition's high watermark growth per second since
// the same partition was last read in before (at or ahead of before's
// snapshot): a refresh that could not read it (an action's, a leader
// moving) then costs no rate on the next one.
func partitionRate(p Partition, before Topic, now time.Time) (float64, bool) {
	i := slices.IndexFunc(before.Partitions, func(bp Partition) bool { return bp.ID == p.ID })
	if i < 0 || p.HighWatermark == Unknown {
		return 0, false
	}
	was := before.Partitions[i].seen
	elapsed := now.Sub(was.at)
	if was.at.IsZero() || elapsed <= 0 || p.HighWatermark < was.hw {
		return 0, false // never read, or the log was truncated: no honest rate
	}
	return float64(p.HighWatermark-was.hw) / elapsed.Seconds(), true
}

// seenHW is the high watermark p's rate is measured from next time: its
// own when read, else the last one read of the same partition in before.
func seenHW(p Partition, before *Topic, now time.Time) hwSeen {
	if p.HighWatermark != Unknown {
		return hwSeen{hw: p.HighWatermark, at: now}
	}
	if before == nil {
		return hwSeen{}
	}
	i := slices.IndexFunc(before.Partitions, func(bp Partition) bool { return bp.ID == p.ID })
	if i < 0 {
		return hwSeen{}
	}
	return before.Partitions[i].seen
}

// rateMissing says whether p's rate is unknown when it could have been
// known: its high watermark unread, or read now but not last time. A
// partition added since before (add partitions) has no rate yet without
// leaving the topic's total short.
func rateMissing(p Partition, before *Topic) bool {
	if p.RateKnown {
		return false
	}
	if p.HighWatermark == Unknown || before == nil {
		return true
	}
	return slices.ContainsFunc(before.Partitions, func(bp Partition) bool { return bp.ID == p.ID })
}

// add appends p and updates the topic's counts; missing says p's rate
// should have been known.
func (t *Topic) add(p Partition, missing bool) {
	t.Partitions = append(t.Partitions, p)
	if p.Offline() {
		t.Offline++
	}
	if p.UnderReplicated() {
		t.UnderReplicated++
	}
	if p.UnderMinISR(t.MinISR) {
		t.UnderMinISR++
	}
	if p.RateKnown {
		t.Rate += p.Rate
		t.RateKnown = true
	}
	if missing {
		t.RateMissing++
	}
}

// buildBrokers lists the live brokers and the dead ones still known from
// prev or named as replicas, with what each leads and hosts.
func buildBrokers(cl admin.Cluster, topics []Topic, prev *Snapshot, now time.Time) []Broker {
	byID := map[int32]*Broker{}
	for _, b := range cl.Brokers {
		byID[b.ID] = &Broker{ID: b.ID, Host: b.Host, Port: b.Port, Rack: b.Rack, Alive: true}
	}
	if prev != nil {
		for _, pb := range prev.Brokers {
			if _, alive := byID[pb.ID]; !alive {
				byID[pb.ID] = deadFrom(pb, now)
			}
		}
	}
	for _, t := range topics {
		for _, p := range t.Partitions {
			countPartition(byID, p)
		}
	}
	out := make([]Broker, 0, len(byID))
	for _, b := range byID {
		b.Controller = b.ID == cl.Controller
		out = append(out, *b)
	}
	slices.SortFunc(out, func(a, b Broker) int { return int(a.ID) - int(b.ID) })
	return out
}

// deadFrom is a broker of the previous snapshot that metadata no longer
// lists, keeping its address and the time it was first missed.
func deadFrom(pb Broker, now time.Time) *Broker {
	b := &Broker{ID: pb.ID, Host: pb.Host, Port: pb.Port, Rack: pb.Rack, DeadSince: pb.DeadSince}
	if pb.Alive {
		b.DeadSince = now
	}
	return b
}

func countPartition(byID map[int32]*Broker, p Partition) {
	for _, r := range p.Replicas {
		b, ok := byID[r]
		if !ok {
			b = &Broker{ID: r} // named as a replica, never seen alive
			byID[r] = b
		}
		b.Replicas++
		if slices.Contains(p.Missing, r) {
			b.OutOfSync++
		}
	}
	if b, ok := byID[p.Leader]; ok {
		b.Leaders++
		if p.UnderReplicated() {
			b.UnderReplicated++
		}
	}
}
