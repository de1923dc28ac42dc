package group

import (
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

type shardStatus int8

const (
	notOwned shardStatus = iota
	loading
	loaded
)

// shard is one __consumer_offsets partition: the groups that live in it,
// served while this broker leads the partition. Its mutex guards every
// group in it, so a group's requests, timers and write completions take
// effect one at a time. Answers to parked requests are callbacks invoked
// under the mutex: they must not block.
type shard struct {
	c         *Coordinator
	partition int32

	mu     sync.Mutex
	status shardStatus
	epoch  int32 // leader epoch of the partition while owned
	// incarnation changes whenever the shard is loaded or unloaded, so
	// timers and write completions of an earlier ownership do nothing.
	incarnation uint64
	groups      map[string]*group
	// txnGroups indexes the groups with transactional offsets by producer
	// id; txnEndsWhileLoading are markers written while loading
	// (txn_end.go).
	txnGroups           map[int64]map[string]struct{}
	txnEndsWhileLoading []txnEnd
}

// schedule (re)arms a deadline: fn runs under the lock after d unless the
// deadline is cancelled or rearmed first, the group leaves the shard, or
// the shard is unloaded.
func (s *shard) schedule(g *group, dl *deadline, d time.Duration, fn func()) {
	dl.cancel()
	seq, inc := dl.seq, s.incarnation
	dl.timer = s.c.clock.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if dl.seq != seq || s.incarnation != inc || s.groups[g.id] != g {
			return
		}
		dl.timer = nil
		fn()
	})
}

func (s *shard) transition(g *group, to State) {
	if !canTransition(g.state, to) {
		s.c.badTransitions.Add(1)
		s.c.logger.Error("group state transition Kafka does not allow", "group", g.id, "from", g.state, "to", to)
	}
	g.state = to
	g.stateTime = s.c.now()
}

// unloadLocked forgets every group, answering parked requests with
// NOT_COORDINATOR so the clients find the new coordinator.
func (s *shard) unloadLocked() {
	for _, g := range s.groups {
		s.dropGroup(g, kerr.NotCoordinator)
	}
	s.groups = map[string]*group{}
	s.txnGroups, s.txnEndsWhileLoading = nil, nil
	s.status = notOwned
	s.incarnation++
}

// dropGroup cancels a group's timers and answers its parked requests.
func (s *shard) dropGroup(g *group, err error) {
	g.join.cancel()
	g.sync.cancel()
	for id, d := range g.pending {
		d.cancel()
		delete(g.pending, id)
	}
	for _, m := range g.members {
		m.heartbeat.cancel()
		m.answerJoin(JoinResult{MemberID: m.id, Err: err})
		m.answerSync(SyncResult{Err: err})
	}
}
