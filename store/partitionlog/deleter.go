package partitionlog

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"time"
)

// deleter runs file removals after file.delete.delay.ms. The delay is what
// lets a fetch that already holds a segment's file finish its sendfile
// after retention or truncation dropped the segment: the file is renamed
// .deleted at once but closed and unlinked only later.
type deleter struct {
	logger  *slog.Logger
	mu      sync.Mutex
	pending map[*time.Timer]func() error
	closed  bool
}

func newDeleter(logger *slog.Logger) *deleter {
	return &deleter{logger: logger, pending: make(map[*time.Timer]func() error)}
}

// schedule runs fn after delay, or at once when the deleter is closed.
func (d *deleter) schedule(delay time.Duration, what string, fn func() error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		d.run(what, fn)
		return
	}
	var t *time.Timer
	t = time.AfterFunc(delay, func() {
		d.mu.Lock()
		f, ok := d.pending[t]
		delete(d.pending, t)
		d.mu.Unlock()
		if ok {
			d.run(what, f)
		}
	})
	d.pending[t] = fn
}

func (d *deleter) run(what string, fn func() error) {
	if err := fn(); err != nil {
		d.logger.Warn("delayed file deletion failed", "files", what, "err", err)
	}
}

// close runs every pending removal now: nothing may read the files once the
// owner is closed. Later schedules run at once.
func (d *deleter) close() error {
	d.mu.Lock()
	d.closed = true
	var fns []func() error
	for t, fn := range d.pending {
		if t.Stop() {
			fns = append(fns, fn)
		}
		delete(d.pending, t)
	}
	d.mu.Unlock()
	var errs []error
	for _, fn := range fns {
		errs = append(errs, fn())
	}
	return errors.Join(errs...)
}

// markDeleted renames the segment's files to *.deleted and releases the
// index mappings (no reader can reach them once the segment left the list).
// The .log descriptor stays open for reads already handed out.
func (s *segment) markDeleted() error {
	var errs []error
	for _, suffix := range []string{logSuffix, indexSuffix, timeIndexSuffix, txnIndexSuffix} {
		err := s.fs.Rename(s.path(suffix), s.path(suffix)+deletedSuffix)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("rename segment file: %w", err))
		}
	}
	return errors.Join(append(errs, s.offsets.close(), s.times.close(), s.closeTxnIndex())...)
}

// removeDeleted closes the .log and unlinks the *.deleted files.
func (s *segment) removeDeleted() error {
	errs := []error{s.log.Close()}
	for _, suffix := range []string{logSuffix, indexSuffix, timeIndexSuffix, txnIndexSuffix} {
		err := s.fs.Remove(s.path(suffix) + deletedSuffix)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// removeSegmentFiles unlinks a segment's files under their live names.
func removeSegmentFiles(s *segment) error {
	var errs []error
	for _, suffix := range []string{logSuffix, indexSuffix, timeIndexSuffix, txnIndexSuffix} {
		if err := s.fs.Remove(s.path(suffix)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
