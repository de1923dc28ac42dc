package vfs

import (
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// OpKind names a kind of filesystem operation; kinds are bits, so a Rule
// can match several (OpWrite|OpSync).
type OpKind uint32

// The operations an Injector sees. OpOpen covers every way a file is
// opened or created; OpTruncate both the File's and the FS's; OpRemove
// both Remove and RemoveAll.
const (
	OpOpen OpKind = 1 << iota
	OpRead
	OpWrite
	OpSync
	OpTruncate
	OpStat
	OpRemove
	OpRename
	OpMkdir
	OpReadDir
	OpChtimes
	OpSyncDir
	OpLock
	OpAllocate
)

// Op is one operation about to run: its kind and the path it acts on (the
// old name of a rename).
type Op struct {
	Kind OpKind
	Path string
}

// Fault is what an injected failure does: the operation fails with Err, as
// the kernel's errno inside the *os.PathError (or *os.LinkError) the os
// package would return. For a write, Short bytes reach the file first (at
// most len-1: the write is torn, as a real write that runs out of space).
// Delay stalls the operation first, as a slow disk does; a Fault with a
// Delay and no Err only stalls it, then lets it run.
type Fault struct {
	Err   syscall.Errno
	Short int
	Delay time.Duration
}

// stall waits out the fault's delay and reports whether the operation then
// fails.
func (ft *Fault) stall() bool {
	if ft.Delay > 0 {
		time.Sleep(ft.Delay)
	}
	return ft.Err != 0
}

// Injector decides whether an operation fails. It is called before every
// operation of a faulty filesystem, from any goroutine.
type Injector interface {
	// Inject returns the fault op suffers, or nil to let it run.
	Inject(op Op) *Fault
}

// Rule is a deterministic Injector: of the operations it matches, it lets
// the first After through, fails the next Times (every later one when
// Times is 0), and nothing once stopped. "The third write to a .log file
// runs out of space" is
//
//	&vfs.Rule{Kinds: vfs.OpWrite, Name: "*.log", After: 2, Times: 1, Err: syscall.ENOSPC}
//
// and "every fsync stalls for two seconds" is
//
//	&vfs.Rule{Kinds: vfs.OpSync, Delay: 2 * time.Second}
//
// A Rule is used through its pointer and must not be changed once in use.
type Rule struct {
	Kinds OpKind // the kinds it matches; 0 matches every kind
	Name  string // a filepath.Match pattern: of the base name, or of the whole path when it holds a separator; "" matches every name
	After int    // matching operations let through before the first failure
	Times int    // failures before the rule stops; 0 means no limit
	Err   syscall.Errno
	Short int           // for writes: bytes written before the error (a torn write)
	Delay time.Duration // how long each matched operation stalls first; with no Err it then runs

	mu      sync.Mutex
	seen    int
	failed  int
	stopped bool
}

// Inject implements Injector.
func (r *Rule) Inject(op Op) *Fault {
	if !r.matches(op) {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen++
	if r.stopped || r.seen <= r.After || (r.Times > 0 && r.failed >= r.Times) {
		return nil
	}
	r.failed++
	return &Fault{Err: r.Err, Short: r.Short, Delay: r.Delay}
}

func (r *Rule) matches(op Op) bool {
	if r.Kinds != 0 && r.Kinds&op.Kind == 0 {
		return false
	}
	if r.Name == "" {
		return true
	}
	name := op.Path
	if !strings.ContainsRune(r.Name, filepath.Separator) {
		name = filepath.Base(name)
	}
	ok, err := filepath.Match(r.Name, name)
	return ok && err == nil
}

// Stop ends the rule's failures: the disk has space again, or works again.
func (r *Rule) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = true
}

// Failed returns how many operations the rule has failed (or stalled), so a test can
// check that its fault really happened.
func (r *Rule) Failed() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

// Rules is an Injector made of rules added over time, asked in the order
// added: the first that fails an operation decides, and the later ones do
// not see it. A rule counts the operations it matches from the moment it is
// added. The zero value injects nothing, so a test opens the log over an
// empty Rules and adds "every fsync from now on fails" at the point it
// wants.
type Rules struct {
	mu    sync.Mutex
	rules []*Rule
}

// Add arms r.
func (rs *Rules) Add(r *Rule) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.rules = append(rs.rules, r)
}

// Inject implements Injector.
func (rs *Rules) Inject(op Op) *Fault {
	rs.mu.Lock()
	rules := rs.rules
	rs.mu.Unlock()
	for _, r := range rules {
		if f := r.Inject(op); f != nil {
			return f
		}
	}
	return nil
}
