package partitionlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// The log cleaner compacts the logs whose cleanup.policy contains
// "compact", as Kafka's LogCleaner does:
//
//   - Each log has a cleaner checkpoint (first dirty offset): below it the
//     log was cleaned, from it to the first uncleanable offset (the high
//     watermark, the active segment, segments younger than
//     min.compaction.lag.ms) it is dirty. A log is cleaned when its dirty
//     bytes over clean+dirty bytes exceed min.cleanable.dirty.ratio, or
//     when a dirty segment is older than max.compaction.lag.ms; the
//     dirtiest such log goes first.
//   - Cleaning maps every key of the dirty section to its last offset
//     (offsetMap, bounded by log.cleaner.dedupe.buffer.size), then rewrites
//     the closed segments from the log start to the end of what was mapped,
//     in groups that fit segment.bytes, keeping a record when it is the
//     latest of its key or lies past the map (records without a key go).
//     Tombstones get a delete horizon (now + delete.retention.ms) the
//     first time a cleaning keeps them and are dropped by the first
//     cleaning after it. The last batch of every producer the producer
//     state knows is kept, emptied of its records if none survives.
//   - Each group is written to .cleaned files, renamed .swap, the old
//     segments renamed .deleted, the .swap files renamed to their final
//     names; recovery (finishInterruptedSwaps) completes or rolls back a
//     swap a crash interrupted.
//
// Where kq differs: transactional and control batches are copied as they
// are and their records never supersede others (kq keeps no transaction
// index to tell aborted data from committed); a batch past the mapped
// section is copied as it is even when it holds tombstones (Kafka starts
// their delete horizon there already).

// errCleaningAborted ends a cleaning whose log changed under it
// (truncation, deletion, close) or whose manager is stopping; the log is
// left as it was and cleaned again later.
var errCleaningAborted = errors.New("log cleaning aborted")

// runCleaner runs the cleaner threads until ctx ends.
func (m *Manager) runCleaner(ctx context.Context) {
	o := m.opts.Cleaner
	if o.Disabled {
		return
	}
	c := &logCleaner{m: m, throttle: newThrottler(o.MaxIOBytesPerSecond)}
	var wg sync.WaitGroup
	for i := range o.Threads {
		wg.Go(func() { c.thread(ctx, i) })
	}
	wg.Wait()
}

// logCleaner is what the threads share: picking a log is serialized so two
// threads never take the same one, and the I/O throttle is common.
type logCleaner struct {
	m        *Manager
	pickMu   sync.Mutex
	throttle *throttler
}

func (c *logCleaner) thread(ctx context.Context, id int) {
	o := c.m.opts.Cleaner
	t := newCleanerThread(cleanerBuffers{
		dedupeBytes: o.DedupeBufferSize / int64(o.Threads),
		ioBytes:     int(o.IOBufferSize / int64(o.Threads)),
		loadFactor:  o.LoadFactor,
	}, c.throttle)
	logger := c.m.opts.Logger.With("cleaner", id)
	for ctx.Err() == nil {
		if c.cleanFilthiest(ctx, t, logger) {
			continue
		}
		timer := time.NewTimer(o.Backoff)
		select {
		case <-ctx.Done():
		case <-timer.C:
		}
		timer.Stop()
	}
}

// cleanFilthiest cleans the dirtiest log that needs it and reports
// whether there was one.
func (c *logCleaner) cleanFilthiest(ctx context.Context, t *cleanerThread, logger *slog.Logger) bool {
	if c.m.isClosed() {
		return false
	}
	plan, ok := c.pick(logger)
	if !ok {
		return false
	}
	l := plan.log
	res, err := t.clean(ctx, plan, c.m.guard.Now().UnixMilli())
	l.cleaning.end(plan.gen, res.endOffset, err == nil)
	switch {
	case err == nil:
		logger.Info("cleaned log", res.logArgs(l)...)
		if d, ok := c.m.dirOf(l); ok {
			if err := c.m.writeCheckpoints(d, ckptCleaner); err != nil {
				logger.Warn("writing the cleaner checkpoint failed", "dir", d.path, "err", err)
			}
		}
	case errors.Is(err, errCleaningAborted):
		logger.Debug("log cleaning aborted", "partition", l.tp.String(), "err", err)
	default:
		// Kafka's uncleanable partitions: left alone until a restart, so a
		// log that cannot be cleaned (corrupt data, a dedupe buffer too
		// small, a full disk) is not retried in a loop.
		l.cleaning.markUncleanable()
		logger.Error("log cannot be cleaned; it is skipped until restart", "partition", l.tp.String(), "err", err)
	}
	return true
}

// pick chooses the dirtiest cleanable log (Kafka's
// grabFilthiestCompactedLog) and marks it in progress.
func (c *logCleaner) pick(logger *slog.Logger) (cleanPlan, bool) {
	c.pickMu.Lock()
	defer c.pickMu.Unlock()
	now := c.m.guard.Now().UnixMilli()
	var best cleanPlan
	found := false
	for _, l := range c.m.All() {
		if !l.Config().Compacted || l.usable() != nil || !l.cleaning.available() {
			continue
		}
		plan, err := planCleaning(l, now)
		if err != nil {
			logger.Debug("cannot plan cleaning", "partition", l.tp.String(), "err", err)
			continue
		}
		if plan.eligible() && (!found || plan.ratio() > best.ratio()) {
			best, found = plan, true
		}
	}
	if found && !best.log.cleaning.begin(best.gen) {
		return cleanPlan{}, false
	}
	return best, found
}

// isClosed reports whether Close has begun.
func (m *Manager) isClosed() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.closed
}

// dirOf returns the log.dir holding l, if l is still registered.
func (m *Manager) dirOf(l *Log) (*logDir, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.logs[l.tp] != l {
		return nil, false
	}
	return m.where[l.tp], true
}

// cleanResult is what one cleaning did.
type cleanResult struct {
	firstDirty, endOffset    int64
	bytesRead, bytesWritten  int64
	recordsRead, recordsKept int64
	groups                   int
	mapped                   int
	took                     time.Duration
}

func (r cleanResult) logArgs(l *Log) []any {
	mbps := 0.0
	if s := r.took.Seconds(); s > 0 {
		mbps = float64(r.bytesRead) / s / 1e6
	}
	return []any{"partition", l.tp.String(), "dirty_section", fmt.Sprintf("[%d, %d)", r.firstDirty, r.endOffset),
		"groups", r.groups, "keys_mapped", r.mapped, "bytes_read", r.bytesRead, "bytes_written", r.bytesWritten,
		"records_read", r.recordsRead, "records_kept", r.recordsKept, "took", r.took, "read_mb_per_s", fmt.Sprintf("%.1f", mbps)}
}
