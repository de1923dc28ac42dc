package embedded

import (
	"fmt"
	"os"
)

// The files of a data directory.
const (
	journalName     = "journal"
	snapshotName    = "snapshot"
	snapshotTmpName = "snapshot.tmp"
	lockName        = "LOCK"
)

// journal is the append-only log of committed transactions. Every append
// is fsynced before the transaction is applied, so a write call that
// returned survives a crash.
type journal struct {
	f     *os.File
	path  string
	size  int64
	buf   []byte
	syncs int64 // fsyncs so far, for tests and benchmarks
}

func openJournal(path string, size int64) (*journal, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	return &journal{f: f, path: path, size: size}, nil
}

// append writes the transactions as one write and fsyncs once. After an
// error the journal's tail is unknown: the caller must stop writing
// (recovery will cut a torn tail).
func (j *journal) append(txns ...txn) error {
	j.buf = j.buf[:0]
	for _, t := range txns {
		j.buf = appendFrame(j.buf, t)
	}
	n, err := j.f.Write(j.buf)
	j.size += int64(n)
	if err == nil {
		err = j.f.Sync()
		j.syncs++
	}
	if err != nil {
		return fmt.Errorf("append to journal %s: %w", j.path, err)
	}
	return nil
}

// reset empties the journal once a snapshot holds everything in it.
func (j *journal) reset() error {
	if err := j.f.Truncate(0); err != nil {
		return fmt.Errorf("truncate journal %s: %w", j.path, err)
	}
	j.size = 0
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("sync journal %s: %w", j.path, err)
	}
	return nil
}

func (j *journal) close() error {
	if err := j.f.Close(); err != nil {
		return fmt.Errorf("close journal %s: %w", j.path, err)
	}
	return nil
}
