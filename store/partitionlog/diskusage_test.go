package partitionlog

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
)

func TestDiskUsage(t *testing.T) {
	total, usable, err := DiskUsage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if total <= 0 || usable < 0 || usable > total {
		t.Fatalf("total %d usable %d: want 0 <= usable <= total, total > 0", total, usable)
	}
	_, _, err = DiskUsage(filepath.Join(t.TempDir(), "missing"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing dir: err %v, want fs.ErrNotExist", err)
	}
}
