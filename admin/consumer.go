package admin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// ConsumerConfig says what a Consumer reads.
type ConsumerConfig struct {
	// Start maps topic -> partition -> the first offset to read. The
	// consumer reads exactly these partitions; no group is involved.
	// Leave it empty when reading as a member of Group.
	Start map[string]map[int32]int64
	// Group, when set, makes the consumer a member of this consumer group
	// reading Topics: the group's coordinator shares their partitions among
	// its members, each starts at the group's committed offset, and what
	// the caller marks consumed is committed.
	Group  string
	Topics []string
	// FromEarliest starts a partition without a committed offset at the
	// log start instead of the log end (auto.offset.reset=earliest).
	FromEarliest bool
	// NoReset fails a group member's partition that has no committed
	// offset instead of starting it anywhere (auto.offset.reset=none).
	NoReset bool
	// ReadCommitted hides records of aborted transactions and stops at the
	// last stable offset (isolation.level=read_committed).
	ReadCommitted bool
	// FetchMaxWait is how long the broker may hold a fetch for data
	// (0: Kafka's fetch.max.wait.ms default, 500ms).
	FetchMaxWait time.Duration
}

// Consumer reads records from fixed partitions. Not safe for concurrent
// Polls.
type Consumer struct {
	cl *kgo.Client
	// next is the offset after the last record seen per partition,
	// transaction markers included, which Poll never returns.
	next map[string]map[int32]int64
	// group is set for a group member, whose marked records are
	// committed unless commit is false (enable.auto.commit=false).
	group  bool
	commit bool
	// maxPoll caps the records of one Poll (max.poll.records); 0: none.
	maxPoll int
}

// NewConsumer builds a Consumer; it does not contact the cluster.
func NewConsumer(cc ClientConfig, conf ConsumerConfig) (*Consumer, error) {
	if len(conf.Start) == 0 && conf.Group == "" {
		return nil, errors.New("new consumer: no partitions to read")
	}
	opts := append(cc.kgoOpts(),
		// Transaction markers take offsets too; seeing them lets Position
		// reach the end offset of a partition that ends with one.
		kgo.KeepControlRecords(),
	)
	// Property options first, so the command's own settings (its flags)
	// win where both speak.
	opts = append(opts, cc.scopeOpts[ScopeConsumer]...)
	if conf.Group != "" {
		opts = append(opts, groupOpts(conf, cc)...)
	} else {
		opts = append(opts, kgo.ConsumePartitions(kgoOffsets(conf.Start)),
			// An offset that fell out of range (retention ran between our
			// lookup and the fetch) restarts at the log start.
			kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	}
	if conf.ReadCommitted {
		opts = append(opts, kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	}
	if conf.FetchMaxWait > 0 {
		opts = append(opts, kgo.FetchMaxWait(conf.FetchMaxWait))
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("new consumer: %w", err)
	}
	return &Consumer{cl: cl, next: map[string]map[int32]int64{}, group: conf.Group != "",
		commit: !cc.consumer.noAutoCommit, maxPoll: cc.consumer.maxPollRecords}, nil
}

func kgoOffsets(start map[string]map[int32]int64) map[string]map[int32]kgo.Offset {
	out := make(map[string]map[int32]kgo.Offset, len(start))
	for topic, parts := range start {
		out[topic] = make(map[int32]kgo.Offset, len(parts))
		for p, off := range parts {
			out[topic][p] = kgo.NewOffset().At(off)
		}
	}
	return out
}

// Poll waits for the next records. When ctx ends first it returns ctx's
// error (records already fetched are returned instead, never dropped);
// otherwise it returns the fetch errors the client could not retry.
func (c *Consumer) Poll(ctx context.Context) ([]Record, error) {
	var fetches kgo.Fetches
	if c.maxPoll > 0 {
		fetches = c.cl.PollRecords(ctx, c.maxPoll)
	} else {
		fetches = c.cl.PollFetches(ctx)
	}
	var recs []Record
	fetches.EachRecord(func(kr *kgo.Record) {
		c.advance(kr.Topic, kr.Partition, kr.Offset+1)
		if !kr.Attrs.IsControl() {
			recs = append(recs, recordFromKgo(kr))
		}
	})
	if len(recs) == 0 && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var errs []error
	for _, fe := range fetches.Errors() {
		if errors.Is(fe.Err, context.Canceled) || errors.Is(fe.Err, context.DeadlineExceeded) {
			continue
		}
		errs = append(errs, fmt.Errorf("fetch %s[%d]: %w", fe.Topic, fe.Partition, fe.Err))
	}
	return recs, errors.Join(errs...)
}

func (c *Consumer) advance(topic string, partition int32, next int64) {
	parts := c.next[topic]
	if parts == nil {
		parts = map[int32]int64{}
		c.next[topic] = parts
	}
	parts[partition] = next
}

// Position is the offset after the last record Poll has seen in a
// partition, control records included; false before any.
func (c *Consumer) Position(topic string, partition int32) (int64, bool) {
	next, ok := c.next[topic][partition]
	return next, ok
}

// Close commits what was marked consumed (a group member) and closes the
// connections, leaving the group.
func (c *Consumer) Close() {
	if c.group && c.commit {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.cl.CommitMarkedOffsets(ctx) // best effort, as Kafka's consumer on close
	}
	c.cl.Close()
}
