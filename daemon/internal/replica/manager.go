package replica

import (
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/kqhq/kq/daemon/placement"
	"github.com/kqhq/kq/store/partitionlog"
)

// Logs is the broker's set of partition logs (partitionlog.Manager).
type Logs interface {
	Get(tp partitionlog.TopicPartition) (*partitionlog.Log, bool)
	Create(tp partitionlog.TopicPartition, topicID [16]byte, cfg partitionlog.Config) (*partitionlog.Log, error)
	Delete(tp partitionlog.TopicPartition) error
	SetConfig(tp partitionlog.TopicPartition, cfg partitionlog.Config)
}

// LogConfigs gives the effective log settings of a topic (broker defaults
// merged with the topic's overrides).
type LogConfigs interface {
	LogConfig(topic string) partitionlog.Config
}

// Manager hosts this broker's partitions.
type Manager struct {
	brokerID int32
	logs     Logs
	configs  LogConfigs
	logger   *slog.Logger

	isrStore    IsrStore
	isrEligible func(broker int32) bool
	lagTimeMax  time.Duration
	now         func() time.Time
	fetchers    Fetchers
	isrMu       sync.Mutex
	isrQ        isrQueue
	leadership  LeadershipHook
	isrStats    isrStats

	mu              sync.RWMutex
	partitions      map[partitionlog.TopicPartition]*Partition
	controllerEpoch int32
}

// NewManager returns a manager over the broker's logs. Partitions found on
// disk are not served until the controller's LeaderAndIsr names them.
func NewManager(brokerID int32, logs Logs, configs LogConfigs, logger *slog.Logger, opts ...Option) *Manager {
	m := &Manager{
		brokerID:   brokerID,
		logs:       logs,
		configs:    configs,
		logger:     logger,
		lagTimeMax: defaultLagTimeMax,
		now:        time.Now,
		fetchers:   noFetchers{},
		isrQ:       isrQueue{wake: make(chan struct{}, 1)},
		partitions: map[partitionlog.TopicPartition]*Partition{},
	}
	for _, o := range opts {
		o(m)
	}
	return m
}

func (m *Manager) hooks() isrHooks {
	eligible := m.isrEligible
	if eligible == nil {
		eligible = func(int32) bool { return true }
	}
	return isrHooks{enabled: m.isrStore != nil, now: m.now, propose: m.propose, eligible: eligible, stats: &m.isrStats}
}

// Get returns a hosted partition.
func (m *Manager) Get(topic string, partition int32) (*Partition, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	p, ok := m.partitions[partitionlog.TopicPartition{Topic: topic, Partition: partition}]
	return p, ok
}

// Leader returns the partition if this broker leads it.
func (m *Manager) Leader(topic string, partition int32, leaderEpoch int32) (*Partition, error) {
	p, ok := m.Get(topic, partition)
	if !ok {
		return nil, ErrUnknownTopicOrPartition
	}
	if err := p.CheckLeader(leaderEpoch); err != nil {
		return nil, err
	}
	return p, nil
}

// TopicName returns the name of the hosted topic with this id, as the
// controller's LeaderAndIsr named it; false for the zero id or a topic
// this broker hosts no partition of.
func (m *Manager) TopicName(id [16]byte) (string, bool) {
	if id == ([16]byte{}) {
		return "", false
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, p := range m.partitions {
		if p.TopicID == id {
			return p.Topic, true
		}
	}
	return "", false
}

// All returns every hosted partition.
func (m *Manager) All() []*Partition {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]*Partition, 0, len(m.partitions))
	for _, p := range m.partitions {
		out = append(out, p)
	}
	return out
}

// LeaderAndIsr is one partition of a LeaderAndIsr request.
type LeaderAndIsr struct {
	Topic     string
	TopicID   [16]byte
	Partition int32
	State     State
}

// ApplyLeaderAndIsr makes this broker leader or follower of each partition,
// creating logs as needed. A request from an older controller epoch is
// refused whole; a partition state with an older leader epoch is skipped
// (ErrStaleLeaderEpoch), as Kafka does. The result maps each partition to
// its error (nil on success).
func (m *Manager) ApplyLeaderAndIsr(controllerEpoch int32, parts []LeaderAndIsr) (map[partitionlog.TopicPartition]error, error) {
	if err := m.AcceptControllerEpoch(controllerEpoch); err != nil {
		return nil, err
	}
	out := make(map[partitionlog.TopicPartition]error, len(parts))
	for _, lai := range parts {
		tp := partitionlog.TopicPartition{Topic: lai.Topic, Partition: lai.Partition}
		out[tp] = m.applyOne(lai)
	}
	return out, nil
}

// AcceptControllerEpoch admits a request from the controller of the given
// epoch, remembering it, or refuses it with ErrStaleControllerEpoch when a
// newer controller has already spoken. Every controller request passes it.
func (m *Manager) AcceptControllerEpoch(epoch int32) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if epoch < m.controllerEpoch {
		return fmt.Errorf("%w: got %d, current %d", ErrStaleControllerEpoch, epoch, m.controllerEpoch)
	}
	m.controllerEpoch = epoch
	return nil
}

func (m *Manager) applyOne(lai LeaderAndIsr) error {
	if err := placement.ValidateTopicName(lai.Topic); err != nil || lai.Partition < 0 {
		// The name becomes a directory name: never let one like "../x" or a
		// negative partition reach the file system, whoever sent it.
		return fmt.Errorf("%w: refusing %q partition %d", ErrUnknownTopicOrPartition, lai.Topic, lai.Partition)
	}
	if cur, ok := m.Get(lai.Topic, lai.Partition); ok && sameTopic(cur.TopicID, lai.TopicID) {
		st := cur.State()
		if epoch := st.LeaderEpoch; lai.State.LeaderEpoch < epoch {
			m.logger.Info("ignoring LeaderAndIsr with stale leader epoch", "topic", lai.Topic, "partition", lai.Partition,
				"epoch", lai.State.LeaderEpoch, "current", epoch)
			return fmt.Errorf("%w: %d, current %d", ErrStaleLeaderEpoch, lai.State.LeaderEpoch, epoch)
		}
		if lai.State.LeaderEpoch == st.LeaderEpoch && lai.State.ZkVersion < st.ZkVersion {
			// The controller resent its cached state, older than an ISR
			// change this leader has since written: keep the newer one.
			return nil
		}
	}
	if !slices.Contains(lai.State.Replicas, m.brokerID) {
		return fmt.Errorf("%w: broker %d is not a replica of %s-%d", ErrUnknownTopicOrPartition, m.brokerID, lai.Topic, lai.Partition)
	}
	p, err := m.getOrCreate(lai)
	if err != nil {
		return err
	}
	if p.log.Offline() {
		// Kafka's answer for a replica in an offline log dir: it tells
		// the controller to move leadership off it and drop it from the
		// ISR. Its state stays as it was; every request for it answers
		// KAFKA_STORAGE_ERROR from the log.
		m.fetchers.Unfollow(p)
		p.wake() // acks=all requests waiting on it fail now (Replicated)
		return fmt.Errorf("%s-%d: %w", lai.Topic, lai.Partition, partitionlog.ErrLogDirOffline)
	}
	if lai.State.Leader == m.brokerID {
		m.fetchers.Unfollow(p)
		if err := p.becomeLeader(lai.State); err != nil {
			return err
		}
		m.notifyLeadership(lai.Topic, lai.Partition, true, lai.State.LeaderEpoch)
		return nil
	}
	p.becomeFollower(lai.State)
	m.notifyLeadership(lai.Topic, lai.Partition, false, lai.State.LeaderEpoch)
	if lai.State.Leader < 0 {
		m.fetchers.Unfollow(p)
		return nil
	}
	m.fetchers.Follow(p, lai.State.Leader, lai.State.LeaderEpoch)
	return nil
}

// sameTopic reports whether a partition or log with topic id have belongs
// to a request naming id want. As Kafka's hasConsistentTopicId, a request
// without an id (LeaderAndIsr before v5) matches any, and a log written
// without one matches any request.
func sameTopic(have, want [16]byte) bool {
	return want == [16]byte{} || have == [16]byte{} || have == want
}

func (m *Manager) getOrCreate(lai LeaderAndIsr) (*Partition, error) {
	tp := partitionlog.TopicPartition{Topic: lai.Topic, Partition: lai.Partition}
	m.mu.Lock()
	defer m.mu.Unlock()
	old, hosted := m.partitions[tp]
	if hosted && sameTopic(old.TopicID, lai.TopicID) {
		return old, nil
	}
	log, ok := m.logs.Get(tp)
	if ok && !sameTopic(log.TopicID(), lai.TopicID) {
		// A log left over from an earlier topic with the same name.
		if err := m.logs.Delete(tp); err != nil {
			return nil, fmt.Errorf("delete stale log of %s: %w", tp, err)
		}
		ok = false
	}
	if !ok {
		var err error
		log, err = m.logs.Create(tp, lai.TopicID, m.configs.LogConfig(tp.Topic))
		if err != nil {
			return nil, fmt.Errorf("create log of %s: %w", tp, err)
		}
	}
	if hosted { // a replaced earlier topic: wake its waiters with an error
		m.fetchers.Unfollow(old)
		old.becomeFollower(State{Leader: -1, LeaderEpoch: old.State().LeaderEpoch})
	}
	p := newPartition(m.brokerID, tp.Topic, tp.Partition, log.TopicID(), log, m.hooks())
	m.partitions[tp] = p
	return p, nil
}

// Stop is one partition of a StopReplica request.
type Stop struct {
	Topic       string
	Partition   int32
	LeaderEpoch int32 // -1 (no epoch) and -2 (topic deletion) skip the epoch check
	DeleteLog   bool
}

// StopReplicas stops serving partitions and, with DeleteLog, removes their
// logs. A request from an older controller epoch is refused whole; a
// partition named with an older leader epoch is skipped (ErrFencedLeaderEpoch),
// as Kafka does. The result maps each partition to its error.
func (m *Manager) StopReplicas(controllerEpoch int32, stops []Stop) (map[partitionlog.TopicPartition]error, error) {
	if err := m.AcceptControllerEpoch(controllerEpoch); err != nil {
		return nil, err
	}
	out := make(map[partitionlog.TopicPartition]error, len(stops))
	for _, s := range stops {
		out[partitionlog.TopicPartition{Topic: s.Topic, Partition: s.Partition}] = m.stopOne(s)
	}
	return out, nil
}

func (m *Manager) stopOne(s Stop) error {
	tp := partitionlog.TopicPartition{Topic: s.Topic, Partition: s.Partition}
	m.mu.Lock()
	p, ok := m.partitions[tp]
	if ok && s.LeaderEpoch >= 0 && s.LeaderEpoch < p.State().LeaderEpoch {
		m.mu.Unlock()
		return fmt.Errorf("%w: StopReplica at leader epoch %d, current %d", ErrFencedLeaderEpoch, s.LeaderEpoch, p.State().LeaderEpoch)
	}
	delete(m.partitions, tp)
	m.mu.Unlock()
	if ok {
		m.fetchers.Unfollow(p)
		p.becomeFollower(State{Leader: -1, LeaderEpoch: p.State().LeaderEpoch})
		m.notifyLeadership(s.Topic, s.Partition, false, -1)
	}
	if !s.DeleteLog {
		return nil
	}
	if _, ok := m.logs.Get(tp); !ok {
		return nil
	}
	if err := m.logs.Delete(tp); err != nil {
		return fmt.Errorf("delete log of %s: %w", tp, err)
	}
	return nil
}

// UpdateLogConfig applies a changed topic config to the topic's logs.
func (m *Manager) UpdateLogConfig(topic string) {
	cfg := m.configs.LogConfig(topic)
	for _, p := range m.All() {
		if p.Topic == topic {
			m.logs.SetConfig(partitionlog.TopicPartition{Topic: topic, Partition: p.Index}, cfg)
		}
	}
}
