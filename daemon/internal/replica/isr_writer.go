package replica

import (
	"context"
	"time"

	"github.com/kqhq/kq/store/partitionlog"
)

// IsrStore records the ISR changes this broker decides as leader (the
// daemon implements it over kafkazk). Its calls may block on the metadata
// store; the manager makes them from its own goroutine, never from a
// request.
type IsrStore interface {
	// UpdateIsr writes the partition state (leader, leader epoch, ISR,
	// controller epoch) if the znode is still at s.ZkVersion, and returns
	// the new version. A moved version is ErrIsrConflict.
	UpdateIsr(ctx context.Context, topic string, partition int32, s State) (int32, error)
	// NotifyIsrChanged tells the controller the ISRs of these partitions
	// changed (/isr_change_notification).
	NotifyIsrChanged(ctx context.Context, parts []partitionlog.TopicPartition) error
}

// isrQueue holds partitions with a pending ISR change, in arrival order.
type isrQueue struct {
	pending []*Partition
	wake    chan struct{}
}

// propose queues a partition whose pendingIsr was just set. It is called
// with the partition's lock held, so it takes only the manager's.
func (m *Manager) propose(p *Partition) {
	m.isrMu.Lock()
	m.isrQ.pending = append(m.isrQ.pending, p)
	m.isrMu.Unlock()
	select {
	case m.isrQ.wake <- struct{}{}:
	default:
	}
}

func (m *Manager) takeProposals() []*Partition {
	m.isrMu.Lock()
	defer m.isrMu.Unlock()
	out := m.isrQ.pending
	m.isrQ.pending = nil
	return out
}

// runIsrWriter writes queued ISR changes one at a time and then one
// notification for all that succeeded, as Kafka's leader writes the state
// znode and then an isr_change notification. Failed writes other than
// conflicts are retried after a pause.
func (m *Manager) runIsrWriter(ctx context.Context) {
	var notify []partitionlog.TopicPartition
	for ctx.Err() == nil {
		var retry []*Partition
		for _, p := range m.takeProposals() {
			switch ok, again := m.writeIsr(ctx, p); {
			case ok:
				notify = append(notify, partitionlog.TopicPartition{Topic: p.Topic, Partition: p.Index})
			case again:
				retry = append(retry, p)
			}
		}
		notify = m.notifyIsr(ctx, notify)
		for _, p := range retry {
			m.propose(p)
		}
		if len(retry) > 0 || len(notify) > 0 {
			sleepCtx(ctx, isrRetryBackoff)
			continue
		}
		select {
		case <-m.isrQ.wake:
		case <-ctx.Done():
		}
	}
}

// isrRetryBackoff spaces retries of ISR writes the store failed.
const isrRetryBackoff = 200 * time.Millisecond

func (m *Manager) writeIsr(ctx context.Context, p *Partition) (written, retry bool) {
	c, s, ok := p.pendingWrite()
	if !ok {
		return false, false
	}
	version, err := m.isrStore.UpdateIsr(ctx, p.Topic, p.Index, s)
	if err != nil {
		m.logger.Warn("ISR update not written", "topic", p.Topic, "partition", p.Index, "isr", s.ISR, "zk_version", s.ZkVersion, "err", err)
	} else {
		m.logger.Info("ISR updated", "topic", p.Topic, "partition", p.Index, "isr", s.ISR, "leader_epoch", s.LeaderEpoch, "zk_version", version)
	}
	retry = p.isrWritten(c, version, err)
	return err == nil, retry && ctx.Err() == nil
}

// notifyIsr writes one notification for the partitions; it returns them
// back when the write failed, to try again.
func (m *Manager) notifyIsr(ctx context.Context, parts []partitionlog.TopicPartition) []partitionlog.TopicPartition {
	if len(parts) == 0 {
		return nil
	}
	if err := m.isrStore.NotifyIsrChanged(ctx, parts); err != nil {
		m.logger.Warn("ISR change notification not written", "partitions", len(parts), "err", err)
		return parts
	}
	return nil
}

// runLagCheck drops lagging followers from the ISRs every half of
// replica.lag.time.max.ms, as Kafka's isr-expiration task.
func (m *Manager) runLagCheck(ctx context.Context) {
	t := time.NewTicker(max(m.lagTimeMax/2, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-t.C:
			m.ShrinkLaggingIsrs()
		case <-ctx.Done():
			return
		}
	}
}

// ShrinkLaggingIsrs runs one ISR expiration pass over the led partitions.
func (m *Manager) ShrinkLaggingIsrs() {
	now := m.now()
	for _, p := range m.All() {
		p.maybeShrinkIsr(now, m.lagTimeMax)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
