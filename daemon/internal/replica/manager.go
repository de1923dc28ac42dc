package replica

import (
	"fmt"
	"log/slog"
	"slices"
	"sync"

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

	mu              sync.RWMutex
	partitions      map[partitionlog.TopicPartition]*Partition
	controllerEpoch int32
}

// NewManager returns a manager over the broker's logs. Partitions found on
// disk are not served until the controller's LeaderAndIsr names them.
func NewManager(brokerID int32, logs Logs, configs LogConfigs, logger *slog.Logger) *Manager {
	return &Manager{
		brokerID:   brokerID,
		logs:       logs,
		configs:    configs,
		logger:     logger,
		partitions: map[partitionlog.TopicPartition]*Partition{},
	}
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
// refused whole; a partition state with an older leader epoch is skipped, as
// Kafka does. The result maps each partition to its error (nil on success).
func (m *Manager) ApplyLeaderAndIsr(controllerEpoch int32, parts []LeaderAndIsr) (map[partitionlog.TopicPartition]error, error) {
	if err := m.checkControllerEpoch(controllerEpoch); err != nil {
		return nil, err
	}
	out := make(map[partitionlog.TopicPartition]error, len(parts))
	for _, lai := range parts {
		tp := partitionlog.TopicPartition{Topic: lai.Topic, Partition: lai.Partition}
		out[tp] = m.applyOne(lai)
	}
	return out, nil
}

func (m *Manager) checkControllerEpoch(epoch int32) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if epoch < m.controllerEpoch {
		return fmt.Errorf("%w: got %d, current %d", ErrStaleControllerEpoch, epoch, m.controllerEpoch)
	}
	m.controllerEpoch = epoch
	return nil
}

func (m *Manager) applyOne(lai LeaderAndIsr) error {
	if !slices.Contains(lai.State.Replicas, m.brokerID) {
		return fmt.Errorf("%w: broker %d is not a replica of %s-%d", ErrUnknownTopicOrPartition, m.brokerID, lai.Topic, lai.Partition)
	}
	p, err := m.getOrCreate(lai)
	if err != nil {
		return err
	}
	if cur := p.State(); lai.State.LeaderEpoch < cur.LeaderEpoch {
		m.logger.Info("ignoring LeaderAndIsr with stale leader epoch", "topic", lai.Topic, "partition", lai.Partition,
			"epoch", lai.State.LeaderEpoch, "current", cur.LeaderEpoch)
		return ErrFencedLeaderEpoch
	}
	if lai.State.Leader == m.brokerID {
		return p.becomeLeader(lai.State)
	}
	p.becomeFollower(lai.State)
	return nil
}

func (m *Manager) getOrCreate(lai LeaderAndIsr) (*Partition, error) {
	tp := partitionlog.TopicPartition{Topic: lai.Topic, Partition: lai.Partition}
	m.mu.Lock()
	defer m.mu.Unlock()
	if p, ok := m.partitions[tp]; ok && p.TopicID == lai.TopicID {
		return p, nil
	}
	log, ok := m.logs.Get(tp)
	if ok && log.TopicID() != lai.TopicID {
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
	p := newPartition(m.brokerID, tp.Topic, tp.Partition, lai.TopicID, log)
	m.partitions[tp] = p
	return p, nil
}

// StopReplica stops serving a partition and, with deleteLog, removes its log.
func (m *Manager) StopReplica(controllerEpoch int32, topic string, partition int32, deleteLog bool) error {
	if err := m.checkControllerEpoch(controllerEpoch); err != nil {
		return err
	}
	tp := partitionlog.TopicPartition{Topic: topic, Partition: partition}
	m.mu.Lock()
	p, ok := m.partitions[tp]
	delete(m.partitions, tp)
	m.mu.Unlock()
	if ok {
		p.becomeFollower(State{Leader: -1, LeaderEpoch: p.State().LeaderEpoch})
	}
	if !deleteLog {
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
