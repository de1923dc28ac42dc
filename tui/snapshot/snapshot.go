package snapshot

import (
	"slices"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
)

// Unknown marks an offset the cluster did not report (the partition's
// leader is offline, or ListOffsets failed).
const Unknown int64 = -1

// Snapshot is the cluster as of one refresh. Its slices are never changed
// after Collect returns: views may keep and share it.
type Snapshot struct {
	At         time.Time
	ClusterID  string
	Controller int32    // -1 when there is none
	Brokers    []Broker // live and dead, sorted by ID
	Topics     []Topic  // sorted by name
	// Groups are the consumer groups, sorted by name; GroupsKnown is false
	// when the source cannot list them.
	Groups      []Group
	GroupsKnown bool
	// Transactions are the transactional ids, sorted; TransactionsKnown
	// is false when the source cannot list them.
	Transactions      []Transaction
	TransactionsKnown bool
	// ACLs are every ACL of the cluster (topics, groups, the cluster,
	// transactional ids), as DescribeAcls gives them; ACLsKnown is false
	// when the cluster does not say (no authorizer, no right to describe).
	ACLs      []admin.ACL
	ACLsKnown bool
	// Err is a partial failure: metadata was read but offsets or configs
	// were not, so some values are Unknown.
	Err error
}

// Broker is a broker and what it carries.
type Broker struct {
	ID         int32
	Host       string // "" when never seen alive
	Port       int32
	Rack       string
	Alive      bool
	Controller bool
	// DeadSince is when this session first saw the broker missing from
	// metadata; zero when alive or dead from the first snapshot on.
	DeadSince time.Time
	Leaders   int // partitions it leads
	Replicas  int // partition replicas assigned to it
	// UnderReplicated counts the under-replicated partitions it leads,
	// Kafka's UnderReplicatedPartitions metric for the broker.
	UnderReplicated int
	// OutOfSync counts its replicas that are not in their partition's
	// ISR: every replica of a dead broker, the lagging ones of a slow one.
	OutOfSync int
}

// Topic is a topic with its partitions and the counts derived from them.
type Topic struct {
	Name              string
	ID                string
	Internal          bool
	Partitions        []Partition // sorted by ID
	ReplicationFactor int
	MinISR            int // min.insync.replicas; 0 when unknown
	UnderReplicated   int
	UnderMinISR       int
	Offline           int
	// Rate is messages per second appended to the topic since the
	// previous snapshot, summed over the partitions whose rate is known;
	// RateKnown is false when none is.
	Rate      float64
	RateKnown bool
	// RateMissing counts the partitions whose rate could have been known
	// and is not (their high watermark unread now or last time; not those
	// just added): with RateKnown, Rate is then a partial sum.
	RateMissing int
	// ConsumeRate is messages per second committed on the topic by all
	// groups together; ConsumeRateKnown is false when no group has
	// committed on it twice.
	ConsumeRate      float64
	ConsumeRateKnown bool
	// Size is the bytes of the topic's logs on disk, Unknown when the
	// source cannot tell.
	Size int64
	// ACLs are the ACLs that apply to the topic (by its name, the
	// wildcard or a prefix); ACLsKnown is false when the cluster does not
	// say (no authorizer, or no right to describe ACLs).
	ACLs      []admin.ACL
	ACLsKnown bool
	Err       error // the topic could not be described
}

// Partition is one partition's leadership, replication and offsets.
type Partition struct {
	ID          int32
	Leader      int32 // -1 when offline
	LeaderEpoch int32
	Replicas    []int32
	ISR         []int32
	// Missing lists the replicas that are not in the ISR, in replica
	// order.
	Missing       []int32
	LogStart      int64 // Unknown when not reported
	HighWatermark int64 // Unknown when not reported
	// LogEnd is the leader's log end offset, past the high watermark by
	// what the ISR has not replicated yet; Unknown when not reported.
	LogEnd int64
	// LastStable is the last stable offset: the first offset of the
	// oldest open transaction, else the high watermark. A read_committed
	// consumer reads no further, so below the high watermark it is an
	// open transaction holding consumers back. Unknown when not reported.
	LastStable int64
	Rate       float64
	RateKnown  bool
	Err        error // the partition's own error code from metadata
	seen       hwSeen
}

// hwSeen is a high watermark read and when, the base of the next rate.
type hwSeen struct {
	hw int64
	at time.Time
}

// Offline reports whether the partition has no leader.
func (p Partition) Offline() bool { return p.Leader < 0 }

// UnderReplicated reports whether some replica is out of the ISR.
func (p Partition) UnderReplicated() bool { return len(p.Missing) > 0 }

// UnderMinISR reports whether the ISR is smaller than minISR (0 = unknown,
// never under).
func (p Partition) UnderMinISR(minISR int) bool { return minISR > 0 && len(p.ISR) < minISR }

// HeldBack is how many offsets an open transaction keeps read_committed
// consumers from, below the high watermark; 0 when none or unknown.
func (p Partition) HeldBack() int64 {
	if p.LastStable == Unknown || p.HighWatermark == Unknown || p.LastStable >= p.HighWatermark {
		return 0
	}
	return p.HighWatermark - p.LastStable
}

// Messages is the number of offsets between log start and high watermark,
// Unknown when either is.
func (p Partition) Messages() int64 {
	if p.LogStart == Unknown || p.HighWatermark == Unknown {
		return Unknown
	}
	return p.HighWatermark - p.LogStart
}

// Messages sums the partitions' high watermark minus log start; Unknown
// if any partition's is (KnownMessages sums those that are known).
func (t Topic) Messages() int64 {
	var n int64
	for _, p := range t.Partitions {
		m := p.Messages()
		if m == Unknown {
			return Unknown
		}
		n += m
	}
	return n
}

// Topic returns the named topic.
func (s *Snapshot) Topic(name string) (Topic, bool) {
	i, ok := slices.BinarySearchFunc(s.Topics, name, func(t Topic, n string) int { return strings.Compare(t.Name, n) })
	if !ok {
		return Topic{}, false
	}
	return s.Topics[i], true
}

// Broker returns the broker with the given id.
func (s *Snapshot) Broker(id int32) (Broker, bool) {
	i, ok := slices.BinarySearchFunc(s.Brokers, id, func(b Broker, id int32) int { return int(b.ID) - int(id) })
	if !ok {
		return Broker{}, false
	}
	return s.Brokers[i], true
}

// LiveBrokers counts the brokers metadata lists.
func (s *Snapshot) LiveBrokers() int {
	n := 0
	for _, b := range s.Brokers {
		if b.Alive {
			n++
		}
	}
	return n
}

// Problems counts the topics with an under-replicated, under-min-ISR or
// offline partition.
func (s *Snapshot) Problems() int {
	n := 0
	for _, t := range s.Topics {
		if t.UnderReplicated+t.UnderMinISR+t.Offline > 0 {
			n++
		}
	}
	return n
}
