package consume

import (
	"context"
	"fmt"
	"slices"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
)

// partitionPlan is where one partition's reading starts and, for
// --exit-at-end, where it stops.
type partitionPlan struct {
	start int64
	end   int64 // the end offset when the command started
}

// plan resolves the partitions to read and their start offsets. It asks
// for the log start and end of every partition (and the offsets by time
// for @TIME), so starts are exact and --exit-at-end knows its targets.
func plan(ctx context.Context, a consumeAdmin, opts *Options) (map[int32]partitionPlan, error) {
	parts, err := partitionsToRead(ctx, a, opts.Topic, opts.Partitions)
	if err != nil {
		return nil, err
	}
	if opts.Group == "" { // a group's members read what they are assigned
		parts = filterPartitions(parts, opts.Filter)
	}
	starts, err := offsetsOf(ctx, a, admin.EarliestOffset, opts.Topic)
	if err != nil {
		return nil, err
	}
	ends, err := endOffsets(ctx, a, opts)
	if err != nil {
		return nil, err
	}
	byTime := map[int32]int64{}
	if ts, ok := opts.Offset.timestamp(); ok {
		if byTime, err = offsetsOf(ctx, a, ts, opts.Topic); err != nil {
			return nil, err
		}
	}
	committed, err := groupStarts(ctx, a, opts)
	if err != nil {
		return nil, err
	}
	out := make(map[int32]partitionPlan, len(parts))
	for _, p := range parts {
		b := bounds{start: starts[p], end: ends[p]}
		start := opts.Offset.resolve(b, byTime[p])
		if c, ok := committed[p]; ok {
			start = c
		}
		out[p] = partitionPlan{start: start, end: b.end}
	}
	return out, nil
}

// lastStableReader reads last stable offsets (*admin.Client).
type lastStableReader interface {
	LastStableOffsets(ctx context.Context, topics ...string) (map[string]map[int32]int64, error)
}

// endOffsets is where --exit-at-end stops: the high watermark, or for
// read_committed the last stable offset, which is as far as such a
// consumer gets while a transaction is open.
func endOffsets(ctx context.Context, a consumeAdmin, opts *Options) (map[int32]int64, error) {
	hw, err := offsetsOf(ctx, a, admin.LatestOffset, opts.Topic)
	if err != nil || !opts.ReadCommitted {
		return hw, err
	}
	ls, ok := a.(lastStableReader)
	if !ok {
		return hw, nil
	}
	lso, err := ls.LastStableOffsets(ctx, opts.Topic)
	if err != nil {
		return nil, err
	}
	for p, off := range lso[opts.Topic] {
		if _, known := hw[p]; known {
			hw[p] = off
		}
	}
	return hw, nil
}

// groupOffsetsReader reads a group's committed offsets (*admin.Client).
type groupOffsetsReader interface {
	GroupOffsets(ctx context.Context, group string) ([]admin.GroupOffset, error)
}

// groupStarts returns where a group member starts in each partition the
// group committed, which --exit-at-end needs to know what is left to read.
func groupStarts(ctx context.Context, a consumeAdmin, opts *Options) (map[int32]int64, error) {
	if opts.Group == "" || !opts.ExitAtEnd {
		return nil, nil
	}
	g, ok := a.(groupOffsetsReader)
	if !ok {
		return nil, clierr.Usagef("--exit-at-end with --group needs a cluster that reports committed offsets")
	}
	offs, err := g.GroupOffsets(ctx, opts.Group)
	if err != nil {
		return nil, err
	}
	out := map[int32]int64{}
	for _, o := range offs {
		if o.Topic == opts.Topic {
			out[o.Partition] = o.Offset
		}
	}
	return out, nil
}

// partitionsToRead checks the topic and the requested partitions exist.
func partitionsToRead(ctx context.Context, a consumeAdmin, topic string, want []int32) ([]int32, error) {
	topics, err := a.Topics(ctx, topic)
	if err != nil {
		return nil, err
	}
	if len(topics) != 1 || topics[0].Err != nil {
		return nil, clierr.NotFoundf("topic %s does not exist", topic)
	}
	var have []int32
	for _, p := range topics[0].Partitions {
		have = append(have, p.ID)
	}
	if len(want) == 0 {
		return have, nil
	}
	for _, p := range want {
		if !slices.Contains(have, p) {
			return nil, clierr.NotFoundf("partition %d does not exist in topic %s (it has %d)", p, topic, len(have))
		}
	}
	return want, nil
}

func offsetsOf(ctx context.Context, a consumeAdmin, timestamp int64, topic string) (map[int32]int64, error) {
	listed, err := a.ListOffsets(ctx, timestamp, topic)
	if err != nil {
		return nil, err
	}
	out := make(map[int32]int64, len(listed))
	for _, o := range listed {
		if o.Err != nil {
			return nil, fmt.Errorf("list offsets of %s[%d]: %w", o.Topic, o.Partition, o.Err)
		}
		out[o.Partition] = o.Offset
	}
	return out, nil
}
