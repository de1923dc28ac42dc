package embedded

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/kqhq/kq/store/meta"
)

// DefaultCompactBytes is the journal size past which a snapshot is taken
// (and the journal emptied), unless the snapshot itself is larger: then
// compaction waits for the journal to outgrow it, which keeps the cost of
// rewriting the snapshot proportional to the writes that triggered it.
const DefaultCompactBytes = 8 << 20

// Options tune a Server; the zero value is usable.
type Options struct {
	// Logger receives recovery and compaction messages; nil discards them.
	Logger *slog.Logger
	// CompactBytes overrides DefaultCompactBytes.
	CompactBytes int64
}

// Server is an in-process metadata server: the tree, its sessions and
// watches, and (unless memory-only) its journal and snapshot on disk.
//
// Locking: wmu serialises writers through check, journal and apply; mu
// guards the tree and session table, so readers run while a writer waits
// for its fsync and only pause while a transaction is applied. Write calls
// go through one committer goroutine, which batches the calls waiting
// for it under one fsync (group commit).
type Server struct {
	wmu sync.Mutex
	mu  sync.RWMutex

	writes        chan *writeReq
	stop          chan struct{}
	stopOnce      sync.Once
	committerDone chan struct{}

	tree     *tree
	watches  *watchTable
	sessions map[int64]*session
	lastZxid int64
	nextID   int64

	dir          string
	journal      *journal // nil when memory-only
	lock         *os.File
	snapshotSize int64
	compactBytes int64
	broken       error // a failed journal write: no more writes
	closed       bool
	log          *slog.Logger
}

// New opens the server persisted in dataDir (created if missing), or a
// memory-only one when dataDir is "". On open, ephemeral nodes left by the
// previous process are deleted: their sessions died with it.
func New(dataDir string, opts Options) (*Server, error) {
	s := &Server{
		tree:          newTree(),
		watches:       newWatchTable(),
		sessions:      map[int64]*session{},
		nextID:        firstSessionID(time.Now()),
		dir:           dataDir,
		compactBytes:  opts.CompactBytes,
		log:           opts.Logger,
		writes:        make(chan *writeReq),
		stop:          make(chan struct{}),
		committerDone: make(chan struct{}),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.compactBytes <= 0 {
		s.compactBytes = DefaultCompactBytes
	}
	if dataDir != "" {
		if err := s.open(); err != nil {
			s.releaseLock()
			return nil, fmt.Errorf("open metadata store %s: %w", dataDir, err)
		}
	}
	go s.committer()
	return s, nil
}

// firstSessionID seeds session ids from the clock, as ZooKeeper does, so
// ids are not reused across restarts.
func firstSessionID(now time.Time) int64 {
	return now.UnixMilli() << 16
}

func (s *Server) open() error {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	lock, err := lockDir(filepath.Join(s.dir, lockName))
	if err != nil {
		return err
	}
	s.lock = lock
	rec, err := recoverDir(s.dir, s.log)
	if err != nil {
		return err
	}
	s.tree, s.lastZxid = rec.tree, rec.zxid
	if info, err := os.Stat(filepath.Join(s.dir, snapshotName)); err == nil {
		s.snapshotSize = info.Size()
	}
	s.journal, err = openJournal(filepath.Join(s.dir, journalName), rec.journalSize)
	if err != nil {
		return err
	}
	if err := syncDir(s.dir); err != nil {
		return err
	}
	return s.dropOrphanEphemerals()
}

func (s *Server) dropOrphanEphemerals() error {
	muts := s.tree.ephemeralDeletes(0)
	if len(muts) == 0 {
		return nil
	}
	s.log.Info("deleting ephemeral nodes of sessions that died with the last process", "nodes", len(muts))
	_, err := s.commitTxns([][]mutation{muts})
	return err
}

// Connect opens a new session. In-process sessions have no heartbeat:
// they live until Close or ExpireSession, so sessionTimeout is accepted
// for symmetry with ZooKeeper and otherwise ignored.
func (s *Server) Connect(sessionTimeout time.Duration) (meta.Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, meta.ErrClosed
	}
	s.nextID++
	c := newSession(s, s.nextID)
	s.sessions[c.id] = c
	return c, nil
}

// ExpireSession ends session id as if its owner had died: its ephemeral
// nodes are deleted, its watches receive EventNotWatching with
// ErrSessionExpired, its Session channel reports SessionExpired, and every
// later call on it returns ErrSessionExpired.
func (s *Server) ExpireSession(id int64) error {
	s.mu.RLock()
	c := s.sessions[id]
	s.mu.RUnlock()
	if c == nil {
		return fmt.Errorf("expire session 0x%x: no such live session", id)
	}
	c.end(stateExpired)
	return nil
}

// Sessions returns the ids of the live sessions.
func (s *Server) Sessions() []int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := make([]int64, 0, len(s.sessions))
	for id := range s.sessions {
		ids = append(ids, id)
	}
	return ids
}

// Close ends every session (as Store.Close) and closes the files. Later
// calls on the server or its sessions return ErrClosed.
func (s *Server) Close() error {
	s.mu.RLock()
	live := make([]*session, 0, len(s.sessions))
	for _, c := range s.sessions {
		live = append(live, c)
	}
	s.mu.RUnlock()
	for _, c := range live {
		c.end(stateClosed)
	}
	s.mu.Lock()
	already := s.closed
	s.closed = true
	s.mu.Unlock()
	s.stopOnce.Do(func() {
		close(s.stop)
		<-s.committerDone
	})
	if already {
		return nil
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.journal == nil {
		return nil
	}
	err := s.journal.close()
	s.releaseLock()
	return err
}

func (s *Server) releaseLock() {
	if s.lock != nil {
		_ = s.lock.Close() // closing releases the flock; nothing to recover
		s.lock = nil
	}
}

// Compact writes a snapshot of the tree and empties the journal.
func (s *Server) Compact() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	return s.compact()
}

// compact runs with wmu held, so the tree does not change underneath.
func (s *Server) compact() error {
	if s.journal == nil {
		return nil
	}
	data := encodeSnapshot(s.tree, s.lastZxid)
	if err := writeSnapshot(s.dir, data); err != nil {
		return err
	}
	s.snapshotSize = int64(len(data))
	// Past this point a crash is harmless: recovery skips journal records
	// the snapshot already holds.
	return s.journal.reset()
}

func (s *Server) maybeCompact() {
	if s.journal == nil || s.journal.size < max(s.compactBytes, s.snapshotSize) {
		return
	}
	start := time.Now()
	if err := s.compact(); err != nil {
		s.log.Error("metadata snapshot failed; the journal keeps growing", "err", err)
		return
	}
	s.log.Debug("metadata snapshot written", "bytes", s.snapshotSize, "took", time.Since(start))
}

// writable reports why writes are refused; call with wmu held.
func (s *Server) writable() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return meta.ErrClosed
	}
	if s.broken != nil {
		return fmt.Errorf("metadata store failed earlier: %w", s.broken)
	}
	return nil
}
