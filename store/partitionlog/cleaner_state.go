package partitionlog

import "sync"

// cleanState is what the log cleaner keeps about one log. It lives in the
// Log, so a deleted and re-created partition starts over.
type cleanState struct {
	mu            sync.Mutex
	firstDirty    int64 // the cleaner checkpoint, when hasCheckpoint
	hasCheckpoint bool
	generation    int64 // bumped by every truncation
	inProgress    bool
	uncleanable   bool // corrupt data was found; skipped until restart
}

// restore sets the checkpoint read from cleaner-offset-checkpoint.
func (c *cleanState) restore(firstDirty int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.firstDirty, c.hasCheckpoint = firstDirty, true
}

// checkpoint returns the first dirty offset, ok false before any cleaning.
func (c *cleanState) checkpoint() (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.firstDirty, c.hasCheckpoint
}

// gen returns the truncation generation: a cleaning started at one
// generation swaps nothing in at another.
func (c *cleanState) gen() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.generation
}

// truncated is called (under the log's writeMu) after every truncation:
// a cleaning in progress must not swap in segments read before it, and the
// checkpoint may not stay above the new log end (Kafka's
// maybeTruncateCheckpoint).
func (c *cleanState) truncated(leo int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
	if c.hasCheckpoint && c.firstDirty > leo {
		c.firstDirty = leo
	}
}

// available reports whether the log may be picked for cleaning.
func (c *cleanState) available() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.inProgress && !c.uncleanable
}

// begin marks a cleaning planned at generation gen in progress; false when
// the log is taken or was truncated since.
func (c *cleanState) begin(gen int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inProgress || c.uncleanable || c.generation != gen {
		return false
	}
	c.inProgress = true
	return true
}

// end finishes a cleaning; a successful one moves the checkpoint to
// endOffset unless a truncation came in between.
func (c *cleanState) end(gen, endOffset int64, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inProgress = false
	if ok && c.generation == gen {
		c.firstDirty, c.hasCheckpoint = endOffset, true
	}
}

func (c *cleanState) markUncleanable() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.uncleanable = true
}

// cleanerOffsetFile is Kafka's per-directory cleaner checkpoint: for each
// compacted partition, the offset below which it was cleaned, in the
// layout of the other offset checkpoints.
const cleanerOffsetFile = "cleaner-offset-checkpoint"
