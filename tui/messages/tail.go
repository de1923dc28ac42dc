package messages

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
)

// Retry delays after a failure: offsets are looked up again, a poll is
// sent again. The view never gives up on its own.
const (
	resolveRetry = 2 * time.Second
	pollRetry    = time.Second
)

// tail is one reading of the topic: from a start position until the view
// closes or restarts. Messages carry the tail they belong to, so those of
// a replaced tail are dropped.
type tail struct {
	ctx    context.Context
	cancel context.CancelFunc

	// polling says a poll is under way or waiting to be retried; only
	// Update touches it. A consumer takes one poll at a time.
	polling bool

	// match, when set, is the whole-topic filter: each poll keeps only
	// the records it matches, off the UI's goroutine, and reports how far
	// it read. Set before the first poll and not changed after.
	match func(*admin.Record) bool
	topic string  // what the consumer reads, set with it
	parts []int32 // the partitions it reads

	mu       sync.Mutex
	consumer Consumer
	stopped  bool
}

func newTail(parent context.Context) *tail {
	ctx, cancel := context.WithCancel(parent)
	return &tail{ctx: ctx, cancel: cancel}
}

// setConsumer hands the consumer to the tail; one built after the tail
// stopped is closed at once.
func (t *tail) setConsumer(c Consumer) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		c.Close()
		return false
	}
	t.consumer = c
	return true
}

// stop cancels the tail and returns a command closing its consumer, which
// ends a poll under way.
func (t *tail) stop() tea.Cmd {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cancel()
	t.stopped = true
	c := t.consumer
	t.consumer = nil
	if c == nil {
		return nil
	}
	return func() tea.Msg { c.Close(); return nil }
}

// offsetsMsg answers the lookup of where to start.
type offsetsMsg struct {
	tail   *tail
	bounds map[int32]bounds
	first  map[int32]int64
	err    error
}

// batchMsg is what one poll returned: with a filter, only the matches,
// how many records were read and where each partition's reading is.
type batchMsg struct {
	tail    *tail
	recs    []admin.Record
	err     error
	scanned int
	next    map[int32]int64
}

// retryMsg retries the tail's failed step after a delay.
type retryMsg struct{ tail *tail }

func retryAfter(t *tail, d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return retryMsg{tail: t} })
}

// resolve looks up where each partition starts.
func (m Model) resolve() tea.Cmd {
	t, src, o := m.tail, m.opts.Source, m.opts
	return func() tea.Msg {
		b, first, err := resolveOffsets(t.ctx, src, o.Topic, o.Partition, o.Start)
		return offsetsMsg{tail: t, bounds: b, first: first, err: err}
	}
}

// resolveOffsets reads the log start and end of the partitions shown, and
// for Since the offset at the time, and applies start to them.
func resolveOffsets(ctx context.Context, src Source, topic string, partition int32, start Start) (map[int32]bounds, map[int32]int64, error) {
	lookup := func(ts int64) (map[int32]int64, error) {
		offs, err := src.ListOffsets(ctx, ts, topic)
		if err != nil {
			return nil, err
		}
		return partitionOffsets(offs, topic, partition)
	}
	lo, err := lookup(admin.EarliestOffset)
	if err != nil {
		return nil, nil, err
	}
	hi, err := lookup(admin.LatestOffset)
	if err != nil {
		return nil, nil, err
	}
	at := hi
	if start.Kind == Since {
		if at, err = lookup(start.Time.UnixMilli()); err != nil {
			return nil, nil, err
		}
	}
	b := make(map[int32]bounds, len(lo))
	first := make(map[int32]int64, len(lo))
	for p, s := range lo {
		b[p] = bounds{start: s, end: max(s, hi[p])}
		first[p] = start.first(b[p], at[p])
	}
	return b, first, nil
}

// partitionOffsets keeps the partitions shown, failing on any of them
// that could not be looked up.
func partitionOffsets(offs []admin.PartitionOffset, topic string, partition int32) (map[int32]int64, error) {
	out := map[int32]int64{}
	for _, o := range offs {
		if o.Topic != topic || (partition != AllPartitions && o.Partition != partition) {
			continue
		}
		if o.Err != nil {
			return nil, fmt.Errorf("list offsets of %s-%d: %w", topic, o.Partition, o.Err)
		}
		out[o.Partition] = o.Offset
	}
	switch {
	case len(out) > 0:
		return out, nil
	case partition != AllPartitions:
		return nil, fmt.Errorf("topic %s has no partition %d", topic, partition)
	}
	return nil, fmt.Errorf("topic %s has no partitions", topic)
}

// startConsumer builds the consumer once the offsets are known.
func (m *Model) startConsumer(first map[int32]int64) error {
	c, err := m.opts.Source.NewConsumer(admin.ConsumerConfig{Start: map[string]map[int32]int64{m.opts.Topic: first}})
	if err != nil {
		return fmt.Errorf("new consumer: %w", err)
	}
	m.tail.topic, m.tail.parts = m.opts.Topic, slices.Sorted(maps.Keys(first))
	m.tail.setConsumer(c)
	return nil
}

// poll waits for the next records of the tail.
func (t *tail) poll() tea.Cmd {
	t.mu.Lock()
	c := t.consumer
	t.mu.Unlock()
	if c == nil {
		return nil
	}
	return func() tea.Msg {
		recs, err := c.Poll(t.ctx)
		if t.match == nil {
			return batchMsg{tail: t, recs: recs, err: err}
		}
		return filterBatch(t, c, recs, err)
	}
}
