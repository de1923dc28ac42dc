package snapshot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/kqhq/kq/admin"
)

// Source is what Collect reads; *admin.Client and *admintest.Cluster
// implement it.
type Source interface {
	Cluster(ctx context.Context) (admin.Cluster, error)
	Topics(ctx context.Context, names ...string) ([]admin.Topic, error)
	ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]admin.PartitionOffset, error)
}

// ConfigSource is implemented by sources that can read one config of many
// topics at once; Collect uses it for min.insync.replicas when present and
// leaves the under-min-ISR counts unknown otherwise.
type ConfigSource interface {
	TopicConfigValues(ctx context.Context, key string, topics ...string) (map[string]string, error)
}

// SizeSource is implemented by sources that can tell the bytes on disk of
// every topic (DescribeLogDirs); without it sizes are Unknown.
type SizeSource interface {
	TopicSizes(ctx context.Context) (map[string]int64, error)
}

// LogEndSource is implemented by sources that can tell each partition's
// log end offset as its leader has it (ListOffsets as a debugging
// replica); without it log ends are Unknown.
type LogEndSource interface {
	LogEndOffsets(ctx context.Context, topics ...string) (map[string]map[int32]int64, error)
}

// LastStableSource is implemented by sources that can tell each
// partition's last stable offset (ListOffsets as a read_committed
// consumer); without it last stable offsets are Unknown. A partition its
// leader did not answer for is left out of the map, and only it is
// Unknown.
type LastStableSource interface {
	LastStableOffsets(ctx context.Context, topics ...string) (map[string]map[int32]int64, error)
}

// minISRKey is the topic config behind the under-min-ISR counts.
const minISRKey = "min.insync.replicas"

// Collect reads the cluster once and derives a Snapshot taken at now. prev,
// the previous snapshot or nil, gives rates, lag trends and the brokers
// that have since died. It returns an error only when metadata cannot be
// read; failures of the other requests land in Snapshot.Err.
func Collect(ctx context.Context, src Source, prev *Snapshot, now time.Time) (*Snapshot, error) {
	return CollectWith(ctx, src, prev, now, Options{})
}

// CollectWith is Collect with options.
func CollectWith(ctx context.Context, src Source, prev *Snapshot, now time.Time, opts Options) (*Snapshot, error) {
	cl, err := src.Cluster(ctx)
	if err != nil {
		return nil, fmt.Errorf("read brokers: %w", err)
	}
	topics, err := src.Topics(ctx)
	if err != nil {
		return nil, fmt.Errorf("read topics: %w", err)
	}
	var ex extras
	var gr groupsRead
	var tr txnsRead
	var wg sync.WaitGroup
	wg.Go(func() { ex = fetchExtras(ctx, src, topicNames(topics)) })
	wg.Go(func() { gr = fetchGroups(ctx, src, prev, opts) })
	wg.Go(func() { tr = fetchTransactions(ctx, src, prev, opts) })
	wg.Wait()
	s := &Snapshot{At: now, ClusterID: cl.ID, Controller: cl.Controller, Err: errors.Join(ex.err, gr.groupErrors(), tr.errors())}
	s.Topics = buildTopics(topics, ex, prev, now)
	s.Brokers = buildBrokers(cl, s.Topics, prev, now)
	s.GroupsKnown = gr.known
	s.Groups = buildGroups(gr, ex.end, prev, now)
	addConsumeRates(s.Topics, s.Groups)
	s.TransactionsKnown = tr.known
	s.Transactions = buildTransactions(tr, prev, now)
	s.ACLs, s.ACLsKnown = ex.acls, ex.aclsKnown
	return s, nil
}

// extras are the per-partition offsets and per-topic configs that metadata
// does not carry.
type extras struct {
	start, end map[topicPartition]int64
	logEnd     map[topicPartition]int64 // leaders' log end offsets
	lastStable map[topicPartition]int64 // last stable offsets
	minISR     map[string]string
	sizes      map[string]int64
	acls       []admin.ACL // every ACL, when aclsKnown
	aclsKnown  bool
	err        error
}

type topicPartition struct {
	topic     string
	partition int32
}

// fetchExtras runs the offset and config requests side by side, so a slow
// or dead leader costs one timeout per refresh, not three.
func fetchExtras(ctx context.Context, src Source, names []string) extras {
	var ex extras
	if len(names) == 0 {
		return ex
	}
	var wg sync.WaitGroup
	var startErr, endErr, leoErr, lsoErr, cfgErr, sizeErr, aclErr error
	wg.Go(func() { ex.start, startErr = offsets(ctx, src, admin.EarliestOffset, names) })
	wg.Go(func() { ex.end, endErr = offsets(ctx, src, admin.LatestOffset, names) })
	if cs, ok := src.(ConfigSource); ok {
		wg.Go(func() {
			ex.minISR, cfgErr = cs.TopicConfigValues(ctx, minISRKey, names...)
		})
	}
	if ss, ok := src.(SizeSource); ok {
		wg.Go(func() { ex.sizes, sizeErr = ss.TopicSizes(ctx) })
	}
	wg.Go(func() { ex.acls, ex.aclsKnown, aclErr = clusterACLs(ctx, src) })
	if ls, ok := src.(LogEndSource); ok {
		wg.Go(func() { ex.logEnd, leoErr = byPartition(ls.LogEndOffsets(ctx, names...)) })
	}
	if ls, ok := src.(LastStableSource); ok {
		wg.Go(func() { ex.lastStable, lsoErr = byPartition(ls.LastStableOffsets(ctx, names...)) })
	}
	wg.Wait()
	ex.err = errors.Join(startErr, endErr, leoErr, lsoErr, cfgErr, sizeErr, aclErr)
	return ex
}

// offsets keeps every partition that answered, even when err says others
// did not: one partition without a leader must not blank the offsets of
// every topic. A partition with an error of its own is left out, so only
// it is Unknown.
func offsets(ctx context.Context, src Source, which int64, names []string) (map[topicPartition]int64, error) {
	listed, err := src.ListOffsets(ctx, which, names...)
	out := make(map[topicPartition]int64, len(listed))
	for _, o := range listed {
		if o.Err == nil && o.Partition >= 0 {
			out[topicPartition{o.Topic, o.Partition}] = o.Offset
		}
	}
	return out, err
}

// byPartition flattens per-topic offsets, keeping those that were read
// when err says others were not: one leader's failure blanks only its
// partitions.
func byPartition(ends map[string]map[int32]int64, err error) (map[topicPartition]int64, error) {
	out := map[topicPartition]int64{}
	for topic, parts := range ends {
		for p, off := range parts {
			out[topicPartition{topic, p}] = off
		}
	}
	return out, err
}

func topicNames(topics []admin.Topic) []string {
	names := make([]string, 0, len(topics))
	for _, t := range topics {
		if t.Err == nil {
			names = append(names, t.Name)
		}
	}
	return names
}

// offsetOr returns m's value for key, or Unknown.
func offsetOr(m map[topicPartition]int64, key topicPartition) int64 {
	if v, ok := m[key]; ok {
		return v
	}
	return Unknown
}

// sizeOr is a topic's size, or Unknown.
func sizeOr(sizes map[string]int64, topic string) int64 {
	if n, ok := sizes[topic]; ok {
		return n
	}
	return Unknown
}

// parseMinISR reads a min.insync.replicas value; 0 (unknown) when absent
// or not a positive number.
func parseMinISR(v string, ok bool) int {
	n, err := strconv.Atoi(v)
	if !ok || err != nil || n < 1 {
		return 0
	}
	return n
}
