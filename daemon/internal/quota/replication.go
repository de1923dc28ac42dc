package quota

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Replication is one side of Kafka's replication throttle
// (ReplicationQuotaManager): the leader's, bounding what it serves to
// followers of throttled partitions, or the follower's, bounding what it
// fetches for them. The bound is leader.replication.throttled.rate or
// follower.replication.throttled.rate; which partitions count comes from
// the topics' leader/follower.replication.throttled.replicas, through the
// Throttled function the broker supplies. Replicas in the ISR are never
// held back (the caller checks), so a throttle cannot shrink the ISR.
type Replication struct {
	rate      func() int64 // the bound in bytes per second; math.MaxInt64: none
	throttled func(topic string, partition int32) bool
	now       func() time.Time

	mu sync.Mutex
	r  *rate
}

// NewReplication returns one side of the throttle. rate reads the
// current *.replication.throttled.rate (a dynamic broker config, so it is
// read on every use); throttled says whether the topic's throttled
// replicas name this broker's replica of a partition.
// Zero window values take Kafka's defaults of
// replication.quota.window.num and replication.quota.window.size.seconds.
func NewReplication(o Options, rate func() int64, throttled func(topic string, partition int32) bool) *Replication {
	if o.WindowSamples <= 0 {
		o.WindowSamples = DefaultWindowSamples
	}
	if o.WindowSize <= 0 {
		o.WindowSize = DefaultWindowSize
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Replication{rate: rate, throttled: throttled, now: o.Now, r: newRate(o.WindowSize, o.WindowSamples, o.Now())}
}

// limit is the bound; +Inf for Kafka's default math.MaxInt64 (or a
// negative value, which the config validator refuses anyway).
func (q *Replication) limit() float64 {
	r := q.rate()
	if r < 0 || r == math.MaxInt64 {
		return math.Inf(1)
	}
	return float64(r)
}

// IsThrottled says whether the partition's replication counts against
// the bound: a bound is set and the topic lists the partition.
func (q *Replication) IsThrottled(topic string, partition int32) bool {
	return q != nil && !math.IsInf(q.limit(), 1) && q.throttled(topic, partition)
}

// Exceeded says whether the measured rate is above the bound, so
// throttled partitions get no data this time.
func (q *Replication) Exceeded() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	measured, _ := q.r.measure(q.now())
	return measured > q.limit()
}

// Record counts replicated bytes of throttled partitions.
func (q *Replication) Record(bytes int64) {
	if bytes <= 0 {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.r.record(float64(bytes), q.now())
}

// ListsReplica reads a leader/follower.replication.throttled.replicas
// value: "*" throttles every replica, else "partition:broker" entries
// name the replicas; it says whether broker's replica of partition is
// named, as Kafka's parseThrottledPartitions (malformed entries count as
// nothing: the topic config validator refuses them on the way in).
func ListsReplica(entries []string, partition, broker int32) bool {
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "*" {
			return true
		}
		p, b, ok := strings.Cut(e, ":")
		if !ok {
			continue
		}
		pi, err1 := strconv.ParseInt(strings.TrimSpace(p), 10, 32)
		bi, err2 := strconv.ParseInt(strings.TrimSpace(b), 10, 32)
		if err1 == nil && err2 == nil && int32(pi) == partition && int32(bi) == broker {
			return true
		}
	}
	return false
}
