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
			was, had := priorOf(before, p.ID)
			p.seen = seenHW(p, was, now)
			p.Rate, p.RateKnown = partitionRate(p, was, now)
			t.add(p, !p.RateKnown && (p.HighWatermark == Unknown || had))
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

// priorOf is partition id as before had it; false when before is nil
// (a new or recreated topic) or had no such partition (one just added).
func priorOf(before *Topic, id int32) (Partition, bool) {
	if before == nil {
		return Partition{}, false
	}
	ps := before.Partitions
	if id >= 0 && int(id) < len(ps) && ps[id].ID == id { // partitions are numbered 0..n-1
		return ps[id], true
	}
	i := slices.IndexFunc(ps, func(bp Partition) bool { return bp.ID == id })
	if i < 0 {
		return Partition{}, false
	}
	return ps[i], true
}

// partitionRate is the partition's high watermark growth per second since
// it was last read (was.seen, at was's snapshot or before it): a refresh
// that could not read it (an action's, a leader moving) then costs no
// rate on the next one.
func partitionRate(p, was Partition, now time.Time) (float64, bool) {
	base := was.seen
	elapsed := now.Sub(base.at)
	if p.HighWatermark == Unknown || base.at.IsZero() || elapsed <= 0 || p.HighWatermark < base.hw {
		return 0, false // unread, never read before, or the log was truncated: no honest rate
	}
	return float64(p.HighWatermark-base.hw) / elapsed.Seconds(), true
}

// seenHW is the high watermark p's rate is measured from next time: its
// own when read, else the last one read before (was's).
func seenHW(p, was Partition, now time.Time) hwSeen {
	if p.HighWatermark != Unknown {
		return hwSeen{hw: p.HighWatermark, at: now}
	}
	return was.seen
}

// add appends p and updates the topic's counts; missing says p's rate
// could have been known and is not: its high watermark unread, or read
// now but not before. A partition just added has no rate yet without
// making the topic's total partial.
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
