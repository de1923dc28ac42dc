package vfs

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestParseRules(t *testing.T) {
	tests := []struct {
		name string
		text string
		op   Op
		want *Fault // nil: the op runs untouched
	}{
		{"stalled fsync", "sync /l/slow/*/*.log delay=2s", Op{OpSync, "/l/slow/t-0/0.log"}, &Fault{Delay: 2 * time.Second}},
		{"other dir untouched", "sync /l/slow/*/*.log delay=2s", Op{OpSync, "/l/fast/t-0/0.log"}, nil},
		{"full disk", "write,sync,open * err=ENOSPC", Op{OpWrite, "/x/0.log"}, &Fault{Err: syscall.ENOSPC}},
		{"any kind", "* *.index err=EIO", Op{OpTruncate, "0.index"}, &Fault{Err: syscall.EIO}},
		{"comment and blank", "# nothing\n\n", Op{OpSync, "a"}, nil},
		{"unknown kind skipped", "fsync * err=EIO", Op{OpSync, "a"}, nil},
		{"unknown errno skipped", "sync * err=EWHAT", Op{OpSync, "a"}, nil},
		{"no effect skipped", "sync *", Op{OpSync, "a"}, nil},
		{"bad delay skipped", "sync * delay=soon", Op{OpSync, "a"}, nil},
		{"second line applies", "junk\nsync * err=EIO", Op{OpSync, "a"}, &Fault{Err: syscall.EIO}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseRules([]byte(tt.text)).Inject(tt.op)
			if (got == nil) != (tt.want == nil) || (got != nil && (got.Err != tt.want.Err || got.Delay != tt.want.Delay)) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// The control file is read again when it changes, and a removed one
// clears every fault.
func TestControlFileFollowsChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "faults")
	c := NewControlFile(path)
	op := Op{OpWrite, "/l/0.log"}
	steps := []struct {
		write  string // "" removes the file
		failed bool
	}{{"", false}, {"write * err=ENOSPC", true}, {"write *.index err=ENOSPC", false}, {"write * err=EIO", true}, {"", false}}
	for i, s := range steps {
		if s.write == "" {
			os.Remove(path)
		} else if err := os.WriteFile(path, []byte(s.write), 0o644); err != nil {
			t.Fatal(err)
		}
		// A later modification time, so the change is seen even on a
		// file system with coarse timestamps.
		mt := time.Now().Add(time.Duration(i) * time.Second)
		os.Chtimes(path, mt, mt)
		c.mu.Lock()
		c.checked = time.Time{} // the next Inject looks at the file
		c.mu.Unlock()
		if got := c.Inject(op) != nil; got != s.failed {
			t.Fatalf("step %d (%q): failed %v, want %v", i, s.write, got, s.failed)
		}
	}
}
