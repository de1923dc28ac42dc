package meta

import (
	"errors"
	"testing"
)

func TestValidatePath(t *testing.T) {
	tests := []struct {
		path string
		mode CreateMode
		ok   bool
	}{
		{"/", Persistent, true},
		{"/a", Persistent, true},
		{"/brokers/topics/my-topic.v1_x", Persistent, true},
		{"/config/users/User%3Aalice", Persistent, true},
		{"/a/..b", Persistent, true},
		{"/ünïcode", Persistent, true},
		{"", Persistent, false},
		{"a", Persistent, false},
		{"/a/", Persistent, false},
		{"/a/", PersistentSequential, true},
		{"/a//b", Persistent, false},
		{"//", PersistentSequential, false},
		{"/a/.", Persistent, false},
		{"/a/../b", Persistent, false},
		{"/a\x00b", Persistent, false},
		{"/a\x1fb", Persistent, false},
		{"/a\u0085b", Persistent, false},
		{"/a\ud7ffb", Persistent, true},
		{"/a\ue000b", Persistent, false},
		{"/a\ufff5", Persistent, false},
		{"/a\xffb", Persistent, false},
	}
	for _, tt := range tests {
		err := ValidateCreatePath(tt.path, tt.mode)
		if tt.ok && err != nil {
			t.Errorf("ValidateCreatePath(%q, %s) = %v, want nil", tt.path, tt.mode, err)
		}
		if !tt.ok && !errors.Is(err, ErrInvalidPath) {
			t.Errorf("ValidateCreatePath(%q, %s) = %v, want ErrInvalidPath", tt.path, tt.mode, err)
		}
	}
}

func TestPathParts(t *testing.T) {
	tests := []struct {
		path, parent, base string
	}{
		{"/", "", ""},
		{"/a", "/", "a"},
		{"/a/b", "/a", "b"},
		{"/a/b/c", "/a/b", "c"},
	}
	for _, tt := range tests {
		if got := Parent(tt.path); got != tt.parent {
			t.Errorf("Parent(%q) = %q, want %q", tt.path, got, tt.parent)
		}
		if got := Base(tt.path); got != tt.base {
			t.Errorf("Base(%q) = %q, want %q", tt.path, got, tt.base)
		}
		if tt.parent != "" {
			if got := Join(tt.parent, tt.base); got != tt.path {
				t.Errorf("Join(%q, %q) = %q, want %q", tt.parent, tt.base, got, tt.path)
			}
		}
	}
}

func TestSequenceSuffix(t *testing.T) {
	tests := map[int32]string{0: "0000000000", 42: "0000000042", 2147483647: "2147483647", -1: "-000000001"}
	for n, want := range tests {
		if got := SequenceSuffix(n); got != want {
			t.Errorf("SequenceSuffix(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestErrorsWrap(t *testing.T) {
	err := NewPathError("get", "/x", ErrNoNode)
	if !errors.Is(err, ErrNoNode) || err.Error() != "get /x: node does not exist" {
		t.Fatalf("PathError = %v", err)
	}
	if NewPathError("get", "/x", nil) != nil {
		t.Fatal("NewPathError(nil) != nil")
	}
	merr := &MultiError{Index: 1, Op: SetOp{Path: "/x", Version: 3}, Err: err}
	if !errors.Is(merr, ErrNoNode) || merr.Error() != "multi op 1 (set /x (version 3)): get /x: node does not exist" {
		t.Fatalf("MultiError = %v", merr)
	}
}
