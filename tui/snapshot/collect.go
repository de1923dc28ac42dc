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

// minISRKey is the topic config behind the under-min-ISR counts.
const minISRKey = "min.insync.replicas"

// Collect reads the cluster once and derives a Snapshot taken at now. prev,
// the previous snapshot or nil, gives rates and the brokers that have since
// died. It returns an error only when metadata cannot be read; failures of
// the other requests land in Snapshot.Err.
func Collect(ctx context.Context, src Source, prev *Snapshot, now time.Time) (*Snapshot, error) {
	cl, err := src.Cluster(ctx)
	if err != nil {
		return nil, fmt.Errorf("read brokers: %w", err)
	}
	topics, err := src.Topics(ctx)
	if err != nil {
		return nil, fmt.Errorf("read topics: %w", err)
	}
	ex := fetchExtras(ctx, src, topicNames(topics))
	s := &Snapshot{At: now, ClusterID: cl.ID, Controller: cl.Controller, Err: ex.err}
	s.Topics = buildTopics(topics, ex, prev, now)
	s.Brokers = buildBrokers(cl, s.Topics, prev, now)
	return s, nil
}

// extras are the per-partition offsets and per-topic configs that metadata
// does not carry.
type extras struct {
	start, end map[topicPartition]int64
	minISR     map[string]string
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
	var startErr, endErr, cfgErr error
	wg.Go(func() { ex.start, startErr = offsets(ctx, src, admin.EarliestOffset, names) })
	wg.Go(func() { ex.end, endErr = offsets(ctx, src, admin.LatestOffset, names) })
	if cs, ok := src.(ConfigSource); ok {
		wg.Go(func() {
			ex.minISR, cfgErr = cs.TopicConfigValues(ctx, minISRKey, names...)
		})
	}
	wg.Wait()
	ex.err = errors.Join(startErr, endErr, cfgErr)
	return ex
}

func offsets(ctx context.Context, src Source, which int64, names []string) (map[topicPartition]int64, error) {
	listed, err := src.ListOffsets(ctx, which, names...)
	if err != nil {
		return nil, err
	}
	out := make(map[topicPartition]int64, len(listed))
	for _, o := range listed {
		if o.Err == nil {
			out[topicPartition{o.Topic, o.Partition}] = o.Offset
		}
	}
	return out, nil
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

// parseMinISR reads a min.insync.replicas value; 0 (unknown) when absent
// or not a positive number.
func parseMinISR(v string, ok bool) int {
	n, err := strconv.Atoi(v)
	if !ok || err != nil || n < 1 {
		return 0
	}
	return n
}
