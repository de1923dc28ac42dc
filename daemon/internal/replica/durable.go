package replica

// Durability under flush.mode=group-commit: the leader counts its own log
// towards the high watermark only up to what an fsync covers
// (partitionlog.Log.DurableEnd), and a follower fetches on only once it
// has fsynced what it appended, so the offset it reports is on its disk.
// The high watermark then means "on disk on every ISR member", and acks=all
// waits for it as always; acks=1 waits for the leader's fsync (Stored).
// Under pagecache the durable end is the log end and nothing waits.

// durableMoved is the log's OnDurable callback: the leader's own share of
// the high watermark moved, or its log stopped taking appends, so the
// high watermark may advance and waiters look again.
func (p *Partition) durableMoved() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.maybeAdvanceHWLocked()
	p.notifyLocked()
}

// Stored reports whether the leader's log stores every offset below end
// as the topic's flush.mode asks: written (pagecache) or fsynced
// (group-commit). It is what acks=1 waits for. When not yet, wake is
// closed at the next change; losing leadership ends the wait with
// ErrNotLeaderOrFollower, and an fsync that failed with the log's error
// (KAFKA_STORAGE_ERROR), never success.
func (p *Partition) Stored(end int64) (done bool, wake <-chan struct{}, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.isLeaderLocked() {
		return true, nil, ErrNotLeaderOrFollower
	}
	if done, _, err := p.log.Durable(end); done {
		return true, nil, err
	}
	return false, p.changed, nil
}

// DurableEnd is the offset below which the log stores appends as the
// topic's flush.mode asks (partitionlog.Log.DurableEnd), read without the
// partition's lock: the produce path asks it right after its append, when
// leadership was just checked.
func (p *Partition) DurableEnd() int64 { return p.log.DurableEnd() }

// FollowerStored reports whether a follower's log stores all it appended
// as the topic's flush.mode asks; when not yet, wake is closed at the
// log's next fsync. A fetcher waits for it before fetching on, since its
// next fetch offset tells the leader what this replica holds.
func (p *Partition) FollowerStored() (done bool, wake <-chan struct{}, err error) {
	return p.log.Durable(p.log.LogEndOffset())
}
