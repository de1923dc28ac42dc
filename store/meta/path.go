package meta

import (
	"fmt"
	"strings"
)

// MaxDataSize is the largest node data accepted: ZooKeeper's default
// jute.maxbuffer (1 MiB) less room for the request around it.
const MaxDataSize = 1<<20 - 1024

// ValidatePath reports, as ErrInvalidPath, whether path is not a legal node
// path by ZooKeeper's rules: absolute, no trailing slash (except the root),
// no empty, "." or ".." segments, no control or non-character code points.
func ValidatePath(path string) error {
	return validatePath(path, false)
}

// ValidateCreatePath is ValidatePath for Create: a sequential create may
// end in a slash, since the sequence number completes the name.
func ValidateCreatePath(path string, mode CreateMode) error {
	return validatePath(path, mode.IsSequential())
}

func validatePath(path string, sequential bool) error {
	check := path
	if sequential {
		check += "1" // the sequence suffix will complete the last segment
	}
	if reason := pathProblem(check); reason != "" {
		return fmt.Errorf("%w %q: %s", ErrInvalidPath, path, reason)
	}
	return nil
}

func pathProblem(path string) string {
	switch {
	case path == "":
		return "empty"
	case path[0] != '/':
		return "not absolute"
	case path == "/":
		return ""
	case strings.HasSuffix(path, "/"):
		return "trailing slash"
	}
	for _, seg := range strings.Split(path[1:], "/") {
		if reason := segmentProblem(seg); reason != "" {
			return reason
		}
	}
	return ""
}

func segmentProblem(seg string) string {
	if seg == "" {
		return "empty segment"
	}
	if seg == "." || seg == ".." {
		return "relative segment " + seg
	}
	for _, r := range seg {
		if badRune(r) {
			return fmt.Sprintf("illegal character %U", r)
		}
	}
	return ""
}

// badRune mirrors ZooKeeper's PathUtils: no NUL or control characters, no
// surrogates or private use area, no specials block, no invalid UTF-8.
func badRune(r rune) bool {
	switch {
	case r == 0xFFFD: // also what invalid UTF-8 decodes to
		return true
	case r < 0x20, r >= 0x7F && r <= 0x9F:
		return true
	case r >= 0xD800 && r <= 0xF8FF:
		return true
	case r >= 0xFFF0 && r <= 0xFFFF:
		return true
	}
	return false
}

// Join returns the path of child name under parent.
func Join(parent, name string) string {
	if parent == "/" {
		return "/" + name
	}
	return parent + "/" + name
}

// Parent returns the parent path of a valid path; the root's parent is "".
func Parent(path string) string {
	if path == "/" {
		return ""
	}
	i := strings.LastIndexByte(path, '/')
	if i == 0 {
		return "/"
	}
	return path[:i]
}

// Base returns the last segment of a valid path; "" for the root.
func Base(path string) string {
	return path[strings.LastIndexByte(path, '/')+1:]
}

// SequenceSuffix formats a sequence number as ZooKeeper appends it: ten
// digits, zero padded (a negative counter, after overflow, keeps its sign).
func SequenceSuffix(n int32) string {
	return fmt.Sprintf("%010d", n)
}
