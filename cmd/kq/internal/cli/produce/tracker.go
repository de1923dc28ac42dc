package produce

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// maxReportedErrors caps per-record error lines; the summary counts all.
const maxReportedErrors = 20

// tracker counts deliveries and reports failures as they come back from
// the producer's goroutines.
type tracker struct {
	errOut        io.Writer
	sent, failed  atomic.Int64
	delivered     atomic.Int64
	mu            sync.Mutex
	firstErr      error
	reported      int
	stopProgress  chan struct{}
	progressFinal sync.WaitGroup
	// onFail, when set, is called at every failure (a transactional
	// produce stops its feed).
	onFail func()
}

// fail records one record's failure, printing it if under the cap.
func (t *tracker) fail(where string, err error) {
	t.failed.Add(1)
	if t.onFail != nil {
		t.onFail()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.firstErr == nil {
		t.firstErr = fmt.Errorf("%s: %w", where, err)
	}
	t.reported++
	switch {
	case t.reported <= maxReportedErrors:
		fmt.Fprintf(t.errOut, "Error: %s: %v\n", where, err)
	case t.reported == maxReportedErrors+1:
		fmt.Fprintln(t.errOut, "Error: more records failed; only the total is shown from here on")
	}
}

// err is the first failure, or nil.
func (t *tracker) err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.firstErr
}

// startProgress redraws a progress line on a terminal every interval.
func (t *tracker) startProgress(interval time.Duration) {
	t.stopProgress = make(chan struct{})
	t.progressFinal.Add(1)
	go func() {
		defer t.progressFinal.Done()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-t.stopProgress:
				fmt.Fprint(t.errOut, "\r\x1b[K")
				return
			case <-tick.C:
				fmt.Fprintf(t.errOut, "\r\x1b[KProduced %d messages (%d failed)...", t.delivered.Load(), t.failed.Load())
			}
		}
	}()
}

// stop ends the progress line, if any.
func (t *tracker) stop() {
	if t.stopProgress != nil {
		close(t.stopProgress)
		t.progressFinal.Wait()
	}
}

// summary is the closing line on stderr.
func (t *tracker) summary() string {
	sent, failed := t.sent.Load(), t.failed.Load()
	if failed == 0 {
		return fmt.Sprintf("Produced a total of %d messages", sent)
	}
	return fmt.Sprintf("Produced %d of %d messages (%d failed)", sent-failed, sent, failed)
}
