package admin

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"
)

// ResetKind is how a reset picks a group's new offsets: one of the --to-*
// options of kafka-consumer-groups --reset-offsets.
type ResetKind int

// The reset strategies, in kafka-consumer-groups' order.
const (
	ResetToEarliest ResetKind = iota + 1 // the log start offset
	ResetToLatest                        // the log end offset
	ResetToCurrent                       // the committed offset (the log end where none)
	ResetToOffset                        // Strategy.Offset
	ResetShiftBy                         // the committed offset plus Strategy.Offset
	ResetToDatetime                      // the first offset at or after Strategy.Time
	ResetByDuration                      // the first offset at or after Now - Strategy.Duration
	ResetFromFile                        // Strategy.Plan
)

// ResetStrategy is one --to-* option and its value.
type ResetStrategy struct {
	Kind     ResetKind
	Offset   int64         // ResetToOffset, ResetShiftBy
	Time     time.Time     // ResetToDatetime
	Duration time.Duration // ResetByDuration: back from ResetRequest.Now
	// Plan is ResetFromFile's content: group ("" for any group) -> topic ->
	// partition -> offset.
	Plan map[string]map[string]map[int32]int64
}

// resetDatetimeLayouts are the datetimes a reset accepts: Kafka's
// YYYY-MM-DDTHH:mm:SS.sss with an optional zone (local time without one),
// and shorter forms.
var resetDatetimeLayouts = []string{
	"2006-01-02T15:04:05.000Z07:00", "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05.000",
	"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02",
}

// ParseResetDatetime reads a --to-datetime value, in loc when it names no
// zone.
func ParseResetDatetime(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range resetDatetimeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: want YYYY-MM-DDTHH:mm:SS.sss (optionally with a zone such as Z or +01:00)", s)
}

// TopicPartitions selects partitions of a topic: all of them when
// Partitions is empty.
type TopicPartitions struct {
	Topic      string  `json:"topic"`
	Partitions []int32 `json:"partitions"`
}

// ResetRequest asks for one group's new offsets.
type ResetRequest struct {
	Group string
	// Topics are the partitions to reset; AllTopics resets instead every
	// partition the group has committed offsets for. Both are ignored by
	// ResetFromFile, whose plan names its partitions.
	Topics    []TopicPartitions
	AllTopics bool
	Strategy  ResetStrategy
	Now       time.Time // ResetByDuration counts back from it
}

// OffsetReset is one partition of a reset plan.
type OffsetReset struct {
	Group     string `json:"group"`
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	// Current is the committed offset before the reset, -1 when none.
	Current int64 `json:"current_offset"`
	New     int64 `json:"new_offset"`
}

// ResetPlan is what a reset would commit for one group, sorted by topic and
// partition.
type ResetPlan struct {
	Group   string        `json:"group"`
	Offsets []OffsetReset `json:"offsets"`
	// Warnings are Kafka's notes on offsets moved into the log's range
	// ("New offset (5) is lower than earliest offset ...").
	Warnings []string `json:"warnings,omitempty"`
}

// Commits are the plan's offsets as CommitGroupOffsets takes them.
func (p ResetPlan) Commits() []GroupOffset {
	out := make([]GroupOffset, 0, len(p.Offsets))
	for _, o := range p.Offsets {
		out = append(out, GroupOffset{Topic: o.Topic, Partition: o.Partition, Offset: o.New})
	}
	return out
}

// GroupActiveError refuses to reset a group that has members: they would
// overwrite the new offsets with their own next commit, so Kafka only
// resets an Empty (or unknown) group.
type GroupActiveError struct {
	Group string
	State string
}

func (e *GroupActiveError) Error() string {
	return fmt.Sprintf("assignments can only be reset if the group '%s' is inactive, but the current state is %s", e.Group, e.State)
}

// ResetSource is what planning a reset reads from the cluster; *Client
// implements it.
type ResetSource interface {
	DescribeGroup(ctx context.Context, group string) (Group, error)
	GroupOffsets(ctx context.Context, group string) ([]GroupOffset, error)
	Topics(ctx context.Context, names ...string) ([]Topic, error)
	ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]PartitionOffset, error)
}

// PlanReset computes a group's new offsets as kafka-consumer-groups
// --reset-offsets does, without committing them: the strategy's offsets,
// moved into each partition's log range. A group with members is refused
// with a *GroupActiveError, dry run or not, as Kafka does.
func PlanReset(ctx context.Context, src ResetSource, req ResetRequest) (ResetPlan, error) {
	g, err := src.DescribeGroup(ctx, req.Group)
	switch {
	case errors.Is(err, ErrNotFound): // offsets can be set for a group not yet created
	case err != nil:
		return ResetPlan{}, err
	case g.State != "Empty":
		return ResetPlan{}, &GroupActiveError{Group: req.Group, State: g.State}
	}
	committed, err := src.GroupOffsets(ctx, req.Group)
	if err != nil {
		return ResetPlan{}, err
	}
	r := &resetter{src: src, req: req, committed: map[topicPartition]int64{}}
	for _, c := range committed {
		r.committed[topicPartition{c.Topic, c.Partition}] = c.Offset
	}
	return r.plan(ctx)
}

type topicPartition struct {
	topic     string
	partition int32
}

// resetter computes one group's plan.
type resetter struct {
	src       ResetSource
	req       ResetRequest
	committed map[topicPartition]int64
	warnings  []string
}

func (r *resetter) plan(ctx context.Context) (ResetPlan, error) {
	plan := ResetPlan{Group: r.req.Group}
	targets, err := r.targets(ctx)
	if err != nil || len(targets) == 0 {
		return plan, err
	}
	topics := topicsOf(targets)
	earliest, err := offsetsAt(ctx, r.src, EarliestOffset, topics)
	if err != nil {
		return plan, err
	}
	latest, err := offsetsAt(ctx, r.src, LatestOffset, topics)
	if err != nil {
		return plan, err
	}
	wanted, err := r.wanted(ctx, targets, latest, topics)
	if err != nil {
		return plan, err
	}
	for _, t := range targets {
		current, ok := r.committed[t]
		if !ok {
			current = -1
		}
		plan.Offsets = append(plan.Offsets, OffsetReset{Group: r.req.Group, Topic: t.topic, Partition: t.partition,
			Current: current, New: r.clamp(t, wanted[t], earliest[t], latest[t])})
	}
	plan.Warnings = r.warnings
	return plan, nil
}

// targets are the partitions to reset, sorted.
func (r *resetter) targets(ctx context.Context) ([]topicPartition, error) {
	var out []topicPartition
	switch {
	case r.req.Strategy.Kind == ResetFromFile:
		for topic, ps := range r.filePlan() {
			for p := range ps {
				out = append(out, topicPartition{topic, p})
			}
		}
	case r.req.AllTopics:
		for k := range r.committed {
			out = append(out, k)
		}
	default:
		for _, sel := range r.req.Topics {
			ps, err := selectedPartitions(ctx, r.src, sel)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				out = append(out, topicPartition{sel.Topic, p})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].topic != out[j].topic {
			return out[i].topic < out[j].topic
		}
		return out[i].partition < out[j].partition
	})
	return out, nil
}

func (r *resetter) filePlan() map[string]map[int32]int64 {
	if p, ok := r.req.Strategy.Plan[r.req.Group]; ok {
		return p
	}
	return r.req.Strategy.Plan[""]
}

// selectedPartitions checks a selection against the topic's partitions.
func selectedPartitions(ctx context.Context, src ResetSource, sel TopicPartitions) ([]int32, error) {
	ts, err := src.Topics(ctx, sel.Topic)
	if err != nil {
		return nil, err
	}
	if len(ts) != 1 || ts[0].Err != nil {
		return nil, fmt.Errorf("topic %s does not exist: %w", sel.Topic, ErrNotFound)
	}
	have := map[int32]bool{}
	var all []int32
	for _, p := range ts[0].Partitions {
		have[p.ID] = true
		all = append(all, p.ID)
	}
	if len(sel.Partitions) == 0 {
		return all, nil
	}
	for _, p := range sel.Partitions {
		if !have[p] {
			return nil, fmt.Errorf("partition %d does not exist in topic %s: %w", p, sel.Topic, ErrNotFound)
		}
	}
	return sel.Partitions, nil
}

// wanted applies the strategy, before clamping to what the log holds.
func (r *resetter) wanted(ctx context.Context, targets []topicPartition, latest map[topicPartition]int64, topics []string) (map[topicPartition]int64, error) {
	s := r.req.Strategy
	out := map[topicPartition]int64{}
	switch s.Kind {
	case ResetToDatetime, ResetByDuration:
		at := s.Time
		if s.Kind == ResetByDuration {
			at = r.req.Now.Add(-s.Duration)
		}
		return offsetsAt(ctx, r.src, max(at.UnixMilli(), 0), topics)
	case ResetToEarliest:
		for _, t := range targets {
			out[t] = 0 // clamped up to the log start
		}
	case ResetToLatest:
		for _, t := range targets {
			out[t] = latest[t]
		}
	case ResetToOffset:
		for _, t := range targets {
			out[t] = s.Offset
		}
	case ResetFromFile:
		for _, t := range targets {
			out[t] = r.filePlan()[t.topic][t.partition]
		}
	case ResetToCurrent, ResetShiftBy:
		return r.fromCommitted(targets, latest)
	default:
		return nil, fmt.Errorf("reset offsets of group %s: no reset strategy given", r.req.Group)
	}
	return out, nil
}

func (r *resetter) fromCommitted(targets []topicPartition, latest map[topicPartition]int64) (map[topicPartition]int64, error) {
	shift := r.req.Strategy.Kind == ResetShiftBy
	out := map[topicPartition]int64{}
	for _, t := range targets {
		c, ok := r.committed[t]
		switch {
		case ok && shift:
			out[t] = c + r.req.Strategy.Offset
		case ok:
			out[t] = c
		case shift:
			return nil, fmt.Errorf("cannot shift offset for partition %s-%d since there is no current committed offset", t.topic, t.partition)
		default:
			out[t] = latest[t]
		}
	}
	return out, nil
}

// clamp keeps an offset within the partition's log, noting the move as
// Kafka does.
func (r *resetter) clamp(t topicPartition, off, earliest, latest int64) int64 {
	switch {
	case off < earliest:
		if r.req.Strategy.Kind != ResetToEarliest {
			r.warnings = append(r.warnings, fmt.Sprintf("New offset (%d) is lower than earliest offset for topic partition %s-%d. Value will be set to %d", off, t.topic, t.partition, earliest))
		}
		return earliest
	case off > latest:
		r.warnings = append(r.warnings, fmt.Sprintf("New offset (%d) is higher than latest offset for topic partition %s-%d. Value will be set to %d", off, t.topic, t.partition, latest))
		return latest
	}
	return off
}

func topicsOf(targets []topicPartition) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range targets {
		if !seen[t.topic] {
			seen[t.topic] = true
			out = append(out, t.topic)
		}
	}
	return out
}

func offsetsAt(ctx context.Context, src ResetSource, timestamp int64, topics []string) (map[topicPartition]int64, error) {
	listed, err := src.ListOffsets(ctx, timestamp, topics...)
	if err != nil {
		return nil, err
	}
	out := map[topicPartition]int64{}
	for _, o := range listed {
		if o.Err != nil {
			return nil, fmt.Errorf("list offsets of %s-%d: %w", o.Topic, o.Partition, o.Err)
		}
		out[topicPartition{o.Topic, o.Partition}] = o.Offset
	}
	return out, nil
}
