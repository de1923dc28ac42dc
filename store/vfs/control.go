package vfs

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ControlFile is an Injector whose rules a file holds, so a test can arm
// and clear faults in a broker running as another process (the daemon
// uses it only when built with the kqfaults tag). The file is read again
// when its modification time or size changes, at most every 20 ms; a
// missing or empty file injects nothing. One rule a line:
//
//	<kinds> <name pattern> [delay=<duration>] [err=<ENOSPC|EIO|EDQUOT|EROFS>]
//
// kinds is "*" or a comma list of open, read, write, sync, truncate, stat,
// remove, rename, mkdir, readdir, chtimes, syncdir, lock, allocate; the pattern is a
// Rule's Name. "sync /logs/slow/*/*.log delay=2s" stalls every fsync of a
// segment in /logs/slow by two seconds. Lines starting with # are
// comments. A line that does not parse is skipped (a test writing one
// sees its faults not happen).
type ControlFile struct {
	path string

	mu      sync.Mutex
	checked time.Time
	mtime   time.Time
	size    int64
	rules   *Rules
}

// NewControlFile returns the injector reading path.
func NewControlFile(path string) *ControlFile { return &ControlFile{path: path, rules: &Rules{}} }

// Inject implements Injector.
func (c *ControlFile) Inject(op Op) *Fault { return c.current().Inject(op) }

func (c *ControlFile) current() *Rules {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if now.Sub(c.checked) < 20*time.Millisecond {
		return c.rules
	}
	c.checked = now
	st, err := os.Stat(c.path)
	if err != nil {
		if c.size != 0 || !c.mtime.IsZero() {
			c.rules, c.size, c.mtime = &Rules{}, 0, time.Time{}
		}
		return c.rules
	}
	if st.ModTime().Equal(c.mtime) && st.Size() == c.size {
		return c.rules
	}
	data, err := os.ReadFile(c.path)
	if err != nil {
		return c.rules
	}
	c.rules, c.mtime, c.size = ParseRules(data), st.ModTime(), st.Size()
	return c.rules
}

// ParseRules reads rules in ControlFile's syntax, skipping lines that do
// not parse.
func ParseRules(data []byte) *Rules {
	rs := &Rules{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if r, err := parseRule(line); err == nil {
			rs.Add(r)
		}
	}
	return rs
}

var opNames = map[string]OpKind{
	"open": OpOpen, "read": OpRead, "write": OpWrite, "sync": OpSync, "truncate": OpTruncate, "stat": OpStat,
	"remove": OpRemove, "rename": OpRename, "mkdir": OpMkdir, "readdir": OpReadDir, "chtimes": OpChtimes,
	"syncdir": OpSyncDir, "lock": OpLock, "allocate": OpAllocate,
}

var errnoNames = map[string]syscall.Errno{
	"ENOSPC": syscall.ENOSPC, "EIO": syscall.EIO, "EDQUOT": syscall.EDQUOT, "EROFS": syscall.EROFS,
}

func parseRule(line string) (*Rule, error) {
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return nil, fmt.Errorf("rule %q: want kinds and a name pattern", line)
	}
	r := &Rule{Name: fields[1]}
	if fields[0] != "*" {
		for _, k := range strings.Split(fields[0], ",") {
			kind, ok := opNames[k]
			if !ok {
				return nil, fmt.Errorf("rule %q: unknown operation %q", line, k)
			}
			r.Kinds |= kind
		}
	}
	for _, opt := range fields[2:] {
		key, val, _ := strings.Cut(opt, "=")
		var err error
		switch key {
		case "delay":
			r.Delay, err = time.ParseDuration(val)
		case "err":
			var ok bool
			if r.Err, ok = errnoNames[val]; !ok {
				err = fmt.Errorf("unknown errno %q", val)
			}
		default:
			err = fmt.Errorf("unknown option %q", key)
		}
		if err != nil {
			return nil, fmt.Errorf("rule %q: %w", line, err)
		}
	}
	if r.Delay <= 0 && r.Err == 0 {
		return nil, fmt.Errorf("rule %q: neither a delay nor an errno", line)
	}
	return r, nil
}
