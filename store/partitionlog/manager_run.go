package partitionlog

import (
	"context"
	"sync"
	"time"
)

// Run does the manager's periodic work until ctx ends: the log cleaner
// (unless Cleaner.Disabled), retention every RetentionCheckInterval, flush.ms every FlushCheckInterval, the recovery
// point and log start checkpoints every CheckpointInterval and the high
// watermark checkpoint every HighWatermarkCheckpointInterval. Call it once,
// in its own goroutine; it returns once ctx ends and any pass in progress
// is done. Close also waits for a pass in progress.
func (m *Manager) Run(ctx context.Context) {
	tickers := []struct {
		every time.Duration
		pass  func()
	}{
		{m.opts.RetentionCheckInterval, m.retentionPass},
		{m.opts.FlushCheckInterval, m.flushPass},
		{m.opts.CheckpointInterval, func() { m.checkpointPass(ckptRecovery | ckptLogStart) }},
		{m.opts.HighWatermarkCheckpointInterval, func() { m.checkpointPass(ckptHW) }},
		{m.opts.ProducerIDExpirationCheckInterval, m.producerExpiryPass},
	}
	var wg sync.WaitGroup
	wg.Go(func() { m.runCleaner(ctx) })
	for _, t := range tickers {
		wg.Go(func() { m.every(ctx, t.every, t.pass) })
	}
	wg.Wait() // a pass in progress finishes before Run returns
}

func (m *Manager) every(ctx context.Context, d time.Duration, pass func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.runPass(pass)
		}
	}
}

// runPass runs one pass unless the manager is closed; passes never overlap
// each other or Close.
func (m *Manager) runPass(pass func()) {
	m.passMu.Lock()
	defer m.passMu.Unlock()
	m.mu.RLock()
	closed := m.closed
	m.mu.RUnlock()
	if !closed {
		pass()
	}
}

// retentionPass applies retention to every partition.
func (m *Manager) retentionPass() {
	now := m.guard.Now().UnixMilli()
	for _, l := range m.All() {
		n, err := l.deleteOldSegments(now)
		if err != nil && l.usable() == nil {
			m.opts.Logger.Warn("retention failed", "partition", l.tp.String(), "err", err)
		}
		if n > 0 {
			m.opts.Logger.Info("retention deleted segments", "partition", l.tp.String(), "segments", n, "log_start_offset", l.LogStartOffset())
		}
	}
}

// producerExpiryPass forgets idle producers in every partition; Run calls
// it every ProducerIDExpirationCheckInterval.
func (m *Manager) producerExpiryPass() {
	for _, l := range m.All() {
		if n := l.ExpireProducers(); n > 0 {
			m.opts.Logger.Debug("expired idle producers", "partition", l.tp.String(), "producers", n)
		}
	}
}

// flushPass fsyncs the partitions whose flush.ms has passed.
func (m *Manager) flushPass() {
	now := nowMs(m.opts.Clock)
	for _, l := range m.All() {
		if err := l.flushIfDue(now); err != nil {
			m.opts.Logger.Warn("flush failed", "partition", l.tp.String(), "err", err)
		}
	}
}

// checkpointPass writes the chosen checkpoint files of every online dir.
func (m *Manager) checkpointPass(kinds checkpointKind) {
	m.mu.RLock()
	dirs := append([]*logDir(nil), m.dirs...)
	m.mu.RUnlock()
	for _, d := range dirs {
		if err := m.writeCheckpoints(d, kinds); err != nil {
			m.opts.Logger.Warn("checkpoint failed", "dir", d.path, "err", err)
		}
	}
}
