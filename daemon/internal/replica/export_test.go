package replica

import "github.com/kqhq/kq/store/partitionlog"

// AppendPreparedBy is AppendAsLeader with the validation step given by the
// test, which receives the partition's log to prepare with.
func (p *Partition) AppendPreparedBy(acks int16, minInsync int, prepare func(*partitionlog.Log) (partitionlog.Prepared, error)) (partitionlog.AppendInfo, error) {
	return p.appendAsLeader(acks, minInsync, func() (partitionlog.Prepared, error) { return prepare(p.log) })
}

// Locked reports whether the partition's lock is held by anyone.
func (p *Partition) Locked() bool {
	if p.mu.TryLock() {
		p.mu.Unlock()
		return false
	}
	return true
}
