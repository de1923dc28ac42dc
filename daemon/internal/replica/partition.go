package replica

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/kqhq/kq/store/partitionlog"
)

// State is the controller's word on a partition, as LeaderAndIsr carries it.
type State struct {
	Leader          int32
	LeaderEpoch     int32
	ControllerEpoch int32
	ZkVersion       int32
	Replicas        []int32
	ISR             []int32
}

// Partition is one partition hosted by this broker.
type Partition struct {
	Topic    string
	Index    int32
	TopicID  [16]byte
	brokerID int32
	log      *partitionlog.Log
	isr      isrHooks

	mu        sync.Mutex
	state     State
	followers map[int32]*follower // leader only: what each follower has fetched
	// epochStartOffset is the log end offset when this broker became leader
	// at the current epoch; a follower joins the ISR only once it has
	// replicated that far (Kafka's leaderEpochStartOffsetOpt).
	epochStartOffset int64
	// pendingIsr is an ISR change being written to the metadata store; until
	// it is, the high watermark counts the larger of the two ISRs.
	pendingIsr *isrChange
	// fenced is set when an ISR write found the state znode changed under
	// it: another broker may lead now, so this one stops acting as leader
	// (no appends, no acks) until the next LeaderAndIsr.
	fenced  bool
	changed chan struct{} // closed when LEO, HW or leadership changes
	stats   partitionStats
}

// isrHooks connect a partition to its manager's ISR machinery.
type isrHooks struct {
	enabled bool             // an ISR store is configured: the leader may change the ISR
	now     func() time.Time // clock for lastCaughtUpTime
	propose func(*Partition) // hand a pending ISR change to the writer
	// eligible reports whether a broker may join an ISR (alive).
	eligible func(broker int32) bool
	stats    *isrStats // the manager's ISR change counts
}

func newPartition(brokerID int32, topic string, index int32, id [16]byte, log *partitionlog.Log, hooks isrHooks) *Partition {
	p := &Partition{
		Topic: topic, Index: index, TopicID: id, brokerID: brokerID, log: log, isr: hooks,
		state:     State{Leader: -1, LeaderEpoch: -1},
		followers: map[int32]*follower{},
		changed:   make(chan struct{}),
	}
	log.OnDurable(p.durableMoved)
	return p
}

// State returns a copy of the replica state.
func (p *Partition) State() State {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.state
	s.Replicas = slices.Clone(s.Replicas)
	s.ISR = slices.Clone(s.ISR)
	return s
}

// Changed returns a channel closed at the next change of the log end offset,
// the high watermark or the leadership.
func (p *Partition) Changed() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.changed
}

// wake wakes every waiter on the partition to look again.
func (p *Partition) wake() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notifyLocked()
}

func (p *Partition) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// isLeaderLocked reports whether this broker acts as leader: named leader
// by the controller and not fenced by a failed ISR write.
func (p *Partition) isLeaderLocked() bool { return p.state.Leader == p.brokerID && !p.fenced }

// CheckLeader returns nil when this broker leads the partition at the given
// leader epoch (-1 skips the epoch check, as clients without epochs send).
func (p *Partition) CheckLeader(epoch int32) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.checkEpochLocked(epoch); err != nil {
		return err
	}
	if !p.isLeaderLocked() {
		return ErrNotLeaderOrFollower
	}
	return nil
}

func (p *Partition) checkEpochLocked(epoch int32) error {
	switch {
	case epoch < 0 || epoch == p.state.LeaderEpoch:
		return nil
	case epoch < p.state.LeaderEpoch:
		return ErrFencedLeaderEpoch
	default:
		return ErrUnknownLeaderEpoch
	}
}

// becomeLeader applies a LeaderAndIsr naming this broker leader.
func (p *Partition) becomeLeader(s State) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.log.LeaderEpochs().Assign(s.LeaderEpoch, p.log.LogEndOffset()); err != nil {
		return fmt.Errorf("record leader epoch %d of %s-%d: %w", s.LeaderEpoch, p.Topic, p.Index, err)
	}
	resend := s.LeaderEpoch == p.state.LeaderEpoch && p.isLeaderLocked()
	p.state = s
	p.fenced = false
	if !resend {
		p.pendingIsr = nil
		p.epochStartOffset = p.log.LogEndOffset()
		p.resetFollowersLocked()
	}
	// A resend of the epoch this broker already leads (the controller
	// repeats its cached state when a replica comes back) keeps what the
	// followers fetched and any ISR write in flight: its outcome still
	// applies, and dropping it would leave a newer znode version unknown.
	p.maybeAdvanceHWLocked()
	p.notifyLocked()
	return nil
}

// becomeFollower applies a LeaderAndIsr naming another broker leader.
func (p *Partition) becomeFollower(s State) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state = s
	p.pendingIsr, p.fenced = nil, false
	p.followers = map[int32]*follower{}
	p.notifyLocked()
}

// maybeAdvanceHWLocked moves the high watermark to the smallest log end
// offset in the ISR, never backwards.
func (p *Partition) maybeAdvanceHWLocked() bool {
	if !p.isLeaderLocked() {
		return false
	}
	hw := p.log.DurableEnd() // the leader's own share: its log end, or what an fsync covers (durable.go)
	for _, id := range p.maximalIsrLocked() {
		if id == p.brokerID {
			continue
		}
		leo := p.log.HighWatermark() // unknown yet: hold the mark where it is
		if f, ok := p.followers[id]; ok && f.leo >= 0 {
			leo = f.leo
		}
		hw = min(hw, leo)
	}
	if hw <= p.log.HighWatermark() {
		return false
	}
	p.log.SetHighWatermark(hw)
	return true
}
