package daemon

import (
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/metrics"
)

// liveBroker is a started broker as the metrics read it.
type liveBroker struct {
	d  *Daemon
	id int32
}

// metricsSource adapts the broker's parts to metrics.Source; before the
// broker is registered (and after shutdown began) it reports nothing.
type metricsSource struct{ o *observability }

func (s *metricsSource) Partitions() []metrics.Partition {
	l := s.o.live.Load()
	if l == nil {
		return nil
	}
	minIsr := map[string]int{}
	var out []metrics.Partition
	for _, p := range l.d.replica.All() {
		st := p.State()
		logStart, hw, leo := p.Offsets()
		size, segs := p.LogSize()
		stats := p.Stats()
		mi, ok := minIsr[p.Topic]
		if !ok {
			mi = l.d.configs.MinInsyncReplicas(p.Topic)
			minIsr[p.Topic] = mi
		}
		out = append(out, metrics.Partition{
			Topic: p.Topic, Partition: p.Index, Leader: st.Leader == l.id,
			Replicas: len(st.Replicas), ISR: len(st.ISR), MinInsync: mi,
			LogStartOffset: logStart, LogEndOffset: leo, HighWatermark: hw, Size: size, Segments: segs,
			MessagesIn: stats.MessagesIn, BytesIn: stats.BytesIn, BytesOut: stats.BytesOut,
		})
	}
	return out
}

func (s *metricsSource) GroupOffsets() []metrics.GroupOffset {
	l := s.o.live.Load()
	if l == nil {
		return nil
	}
	committed := l.d.groups.CommittedOffsets()
	out := make([]metrics.GroupOffset, 0, len(committed))
	for _, c := range committed {
		out = append(out, metrics.GroupOffset{Group: c.Group, Topic: c.Topic, Partition: c.Partition, Offset: c.Offset})
	}
	return out
}

func (s *metricsSource) ActiveController() bool {
	l := s.o.live.Load()
	if l == nil {
		return false
	}
	c := l.d.controller.p.Load()
	return c != nil && c.Active()
}

func (s *metricsSource) OfflinePartitions() int {
	l := s.o.live.Load()
	if l == nil {
		return 0
	}
	n := 0
	for _, t := range l.d.cache.Load().Topics {
		for _, p := range t.Partitions {
			if p.Leader == metadatacache.NoLeader {
				n++
			}
		}
	}
	return n
}

func (s *metricsSource) IsrChanges() (shrinks, expands int64) {
	if l := s.o.live.Load(); l != nil {
		return l.d.replica.IsrChanges()
	}
	return 0, 0
}

func (s *metricsSource) BrokerState() int32 { return s.o.state.Load() }

func (s *metricsSource) QueuedRequests() int {
	if l := s.o.live.Load(); l != nil {
		return l.d.server.QueuedRequests()
	}
	return 0
}
