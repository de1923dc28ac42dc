package replica

import (
	"fmt"
	"slices"
	"sync"

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

	mu          sync.Mutex
	state       State
	followerLEO map[int32]int64 // leader only: last fetch offset of each follower
	changed     chan struct{}   // closed when LEO, HW or leadership changes
}

func newPartition(brokerID int32, topic string, index int32, id [16]byte, log *partitionlog.Log) *Partition {
	return &Partition{
		Topic: topic, Index: index, TopicID: id, brokerID: brokerID, log: log,
		state:       State{Leader: -1, LeaderEpoch: -1},
		followerLEO: map[int32]int64{},
		changed:     make(chan struct{}),
	}
}

// Log returns the partition's log.
func (p *Partition) Log() *partitionlog.Log { return p.log }

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

func (p *Partition) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *Partition) isLeaderLocked() bool { return p.state.Leader == p.brokerID }

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
	p.state = s
	p.followerLEO = map[int32]int64{}
	p.maybeAdvanceHWLocked()
	p.notifyLocked()
	return nil
}

// becomeFollower applies a LeaderAndIsr naming another broker leader.
func (p *Partition) becomeFollower(s State) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state = s
	p.followerLEO = map[int32]int64{}
	p.notifyLocked()
}

// maybeAdvanceHWLocked moves the high watermark to the smallest log end
// offset in the ISR, never backwards.
func (p *Partition) maybeAdvanceHWLocked() bool {
	if !p.isLeaderLocked() {
		return false
	}
	hw := p.log.LogEndOffset()
	for _, id := range p.state.ISR {
		if id == p.brokerID {
			continue
		}
		leo, ok := p.followerLEO[id]
		if !ok {
			leo = p.log.HighWatermark()
		}
		hw = min(hw, leo)
	}
	if hw <= p.log.HighWatermark() {
		return false
	}
	p.log.SetHighWatermark(hw)
	return true
}
