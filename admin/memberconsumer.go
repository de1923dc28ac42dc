package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// MemberConfig tunes a MemberConsumer with the consumer properties Kafka's
// VerifiableConsumer sets.
type MemberConfig struct {
	Group      string
	InstanceID string // group.instance.id: a static member; "" for dynamic
	Topics     []string
	// SessionTimeout is session.timeout.ms (0: kgo's default, 45s).
	SessionTimeout time.Duration
	// Assignors are partition.assignment.strategy, as Kafka's class names
	// or their short names: range, roundrobin, sticky, cooperative-sticky.
	Assignors []string
	// Reset is auto.offset.reset: earliest, latest or none.
	Reset string
	// AutoCommit commits what Poll returned every 5 seconds
	// (enable.auto.commit); without it the caller calls Commit.
	AutoCommit bool
	// ReadCommitted hides aborted transactions' records
	// (isolation.level=read_committed).
	ReadCommitted bool
	// OnAssigned and OnRevoked are the rebalance listener; lost partitions
	// are reported as revoked, as Kafka's default onPartitionsLost does.
	// They run inside Poll or Close, never concurrently with each other.
	OnAssigned, OnRevoked func(map[string][]int32)
}

// MemberConsumer is a classic consumer group member whose rebalances happen
// only inside Poll and Close, as with Kafka's KafkaConsumer: records a Poll
// returned are processed (and committed) before partitions move.
type MemberConsumer struct {
	cl     *kgo.Client
	polled bool
	mu     sync.Mutex
}

// NewMemberConsumer builds a MemberConsumer; it does not contact the cluster.
func NewMemberConsumer(cc ClientConfig, mc MemberConfig) (*MemberConsumer, error) {
	opts, err := memberOpts(mc)
	if err != nil {
		return nil, fmt.Errorf("new member consumer: %w", err)
	}
	// The consumer and group properties first, so mc (the command's
	// flags) wins where both speak, as in Kafka's verifiable consumer.
	all := append(append(append(cc.kgoOpts(), cc.scopeOpts[ScopeConsumer]...), cc.groupOpts...), opts...)
	cl, err := kgo.NewClient(all...)
	if err != nil {
		return nil, fmt.Errorf("new member consumer: %w", err)
	}
	return &MemberConsumer{cl: cl}, nil
}

func memberOpts(mc MemberConfig) ([]kgo.Opt, error) {
	if mc.Group == "" || len(mc.Topics) == 0 {
		return nil, errors.New("a group and topics are required")
	}
	balancers, err := balancersOf(mc.Assignors)
	if err != nil {
		return nil, err
	}
	reset, err := resetOffset(mc.Reset)
	if err != nil {
		return nil, err
	}
	opts := []kgo.Opt{
		kgo.ConsumerGroup(mc.Group), kgo.ConsumeTopics(mc.Topics...), kgo.ConsumeResetOffset(reset),
		kgo.Balancers(balancers...), kgo.BlockRebalanceOnPoll(),
		kgo.OnPartitionsAssigned(listener(mc.OnAssigned)), kgo.OnPartitionsRevoked(listener(mc.OnRevoked)),
		kgo.OnPartitionsLost(listener(mc.OnRevoked)),
	}
	if mc.InstanceID != "" {
		opts = append(opts, kgo.InstanceID(mc.InstanceID))
	}
	if mc.SessionTimeout > 0 {
		opts = append(opts, kgo.SessionTimeout(mc.SessionTimeout))
	}
	if !mc.AutoCommit {
		opts = append(opts, kgo.DisableAutoCommit())
	}
	if mc.ReadCommitted {
		opts = append(opts, kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	}
	return opts, nil
}

func listener(fn func(map[string][]int32)) func(context.Context, *kgo.Client, map[string][]int32) {
	return func(_ context.Context, _ *kgo.Client, parts map[string][]int32) {
		if fn != nil {
			fn(parts)
		}
	}
}

// balancersOf maps Kafka's assignor names to franz-go's balancers, which
// implement the same protocols (range, roundrobin, sticky,
// cooperative-sticky) so they interoperate with Java members.
func balancersOf(names []string) ([]kgo.GroupBalancer, error) {
	if len(names) == 0 {
		return []kgo.GroupBalancer{kgo.RangeBalancer()}, nil
	}
	var out []kgo.GroupBalancer
	for _, n := range names {
		short := strings.ToLower(strings.TrimSuffix(n[strings.LastIndexByte(n, '.')+1:], "Assignor"))
		switch short {
		case "range":
			out = append(out, kgo.RangeBalancer())
		case "roundrobin":
			out = append(out, kgo.RoundRobinBalancer())
		case "sticky":
			out = append(out, kgo.StickyBalancer())
		case "cooperativesticky", "cooperative-sticky":
			out = append(out, kgo.CooperativeStickyBalancer())
		default:
			return nil, fmt.Errorf("unknown partition assignment strategy %q (want Kafka's RangeAssignor, RoundRobinAssignor, StickyAssignor or CooperativeStickyAssignor)", n)
		}
	}
	return out, nil
}

func resetOffset(reset string) (kgo.Offset, error) {
	switch reset {
	case "", "latest":
		return kgo.NewOffset().AtEnd(), nil
	case "earliest":
		return kgo.NewOffset().AtStart(), nil
	case "none":
		return kgo.NoResetOffset(), nil
	}
	return kgo.Offset{}, fmt.Errorf("invalid auto.offset.reset %q (want earliest, latest or none)", reset)
}

// Poll waits for records. It lets a pending rebalance happen first (the
// listener runs), as KafkaConsumer.poll does; records of partitions still
// assigned are returned. An error is returned only when nothing can be
// read: the context ended, or the client closed.
func (m *MemberConsumer) Poll(ctx context.Context) ([]Record, error) {
	m.mu.Lock()
	if m.polled {
		m.cl.AllowRebalance()
	}
	m.polled = true
	m.mu.Unlock()
	fetches := m.cl.PollFetches(ctx)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if fetches.IsClientClosed() {
		return nil, kgo.ErrClientClosed
	}
	var recs []Record
	fetches.EachRecord(func(kr *kgo.Record) { recs = append(recs, recordFromKgo(kr)) })
	return recs, nil
}

// Commit commits offsets (topic -> partition -> the next offset to read)
// and waits for the answer: the first error of the request or of any
// partition.
func (m *MemberConsumer) Commit(ctx context.Context, offsets map[string]map[int32]int64) error {
	uncommitted := map[string]map[int32]kgo.EpochOffset{}
	for t, ps := range offsets {
		uncommitted[t] = map[int32]kgo.EpochOffset{}
		for p, o := range ps {
			uncommitted[t][p] = kgo.EpochOffset{Epoch: -1, Offset: o}
		}
	}
	var result error
	m.cl.CommitOffsetsSync(ctx, uncommitted, func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
		if err != nil {
			result = err
			return
		}
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if perr := kerr.ErrorForCode(p.ErrorCode); perr != nil && result == nil {
					result = perr
				}
			}
		}
	})
	return result
}

// Close leaves the group (revoking the partitions first, with an auto
// commit when enabled) and closes the connections.
func (m *MemberConsumer) Close() { m.cl.CloseAllowingRebalance() }
