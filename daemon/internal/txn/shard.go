package txn

import (
	"context"
	"sync"
)

type shardStatus int8

const (
	notOwned shardStatus = iota
	loading
	loaded
)

// shard is one __transaction_state partition: the transactional ids that
// live in it, served while this broker leads the partition. Its mutex
// guards every txnMeta in it; requests, write completions and timers
// take effect one at a time. Answers are callbacks that may run under the
// mutex: they must not block.
type shard struct {
	c         *Coordinator
	partition int32

	mu     sync.Mutex
	status shardStatus
	// epoch is the partition's leader epoch while owned: the coordinator
	// epoch of its markers.
	epoch int32
	// incarnation changes whenever the shard is loaded or unloaded, so
	// write completions and marker jobs of an earlier ownership do nothing.
	incarnation uint64
	txns        map[string]*txnMeta
	// ctx ends when the shard is unloaded: marker jobs stop waiting.
	ctx    context.Context
	cancel context.CancelFunc
}

// unloadLocked forgets every transactional id and abandons marker jobs.
func (s *shard) unloadLocked() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	s.txns = map[string]*txnMeta{}
	s.status = notOwned
	s.incarnation++
}

// current reports whether a callback of incarnation inc may still act.
func (s *shard) current(inc uint64) bool { return s.incarnation == inc && s.status == loaded }
