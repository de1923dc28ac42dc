package messages

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// StartKind says where a tail begins reading.
type StartKind int

// The start positions.
const (
	Newest     StartKind = iota // the last N records of each partition, then new ones
	Oldest                      // each partition's log start
	Live                        // only records produced from now on
	FromOffset                  // one offset, the same in every partition shown
	Since                       // the first record at or after a time
)

// DefaultNewest is how many of each partition's last records a tail shows
// when nothing else is asked for.
const DefaultNewest = 100

// Start is where a tail begins: a kind and its argument.
type Start struct {
	Kind StartKind
	N    int64     // Newest: how many records; FromOffset: the offset
	Time time.Time // Since
}

// startHelp lists the forms ParseStart reads, for the prompt and errors.
const startHelp = "oldest · newest [N] · live · offset N · since TIME (-15m, 2025-01-02T03:04:05Z)"

// ParseStart reads a start position as typed: oldest, newest [N] (or -N),
// live, offset N (or N), since TIME (or a bare TIME). TIME is RFC 3339, a
// date, epoch milliseconds after "since", or a duration back from now
// (-15m, 2h). Words have synonyms (start, earliest, end, latest, tail) as
// in kq consume --offset.
func ParseStart(s string, now time.Time) (Start, error) {
	fields := strings.Fields(strings.ToLower(strings.TrimSpace(s)))
	if len(fields) == 0 {
		return Start{Kind: Newest, N: DefaultNewest}, nil
	}
	word, args := fields[0], fields[1:]
	switch word {
	case "oldest", "start", "earliest", "beginning", "first":
		return noArgs(Start{Kind: Oldest}, word, args)
	case "live", "new", "follow":
		return noArgs(Start{Kind: Live}, word, args)
	case "newest", "latest", "last", "end", "tail":
		return parseNewest(word, args)
	case "offset", "at":
		return parseOffset(word, args)
	case "since", "from":
		return parseSince(word, args, now)
	}
	if len(args) > 0 {
		return Start{}, fmt.Errorf("unknown start %q (want %s)", s, startHelp)
	}
	return parseBare(word, now)
}

func noArgs(st Start, word string, args []string) (Start, error) {
	if len(args) > 0 {
		return Start{}, fmt.Errorf("%s takes no argument (got %q)", word, strings.Join(args, " "))
	}
	return st, nil
}

func parseNewest(word string, args []string) (Start, error) {
	switch len(args) {
	case 0:
		return Start{Kind: Newest, N: DefaultNewest}, nil
	case 1:
		n, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || n < 0 {
			return Start{}, fmt.Errorf("%s %s: want a count of records", word, args[0])
		}
		return Start{Kind: Newest, N: n}, nil
	}
	return Start{}, fmt.Errorf("%s takes one count (got %q)", word, strings.Join(args, " "))
}

func parseOffset(word string, args []string) (Start, error) {
	if len(args) != 1 {
		return Start{}, fmt.Errorf("%s takes one offset", word)
	}
	n, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || n < 0 {
		return Start{}, fmt.Errorf("%s %s: want an offset, 0 or more", word, args[0])
	}
	return Start{Kind: FromOffset, N: n}, nil
}

func parseSince(word string, args []string, now time.Time) (Start, error) {
	if len(args) != 1 {
		return Start{}, fmt.Errorf("%s takes one time (-15m, 2025-01-02T03:04:05Z or epoch milliseconds)", word)
	}
	if ms, err := strconv.ParseInt(args[0], 10, 64); err == nil && ms >= 0 {
		return Start{Kind: Since, Time: time.UnixMilli(ms)}, nil
	}
	t, err := parseTime(args[0], now)
	if err != nil {
		return Start{}, err
	}
	return Start{Kind: Since, Time: t}, nil
}

// parseBare reads a start given without a word: -N, N, or a time.
func parseBare(s string, now time.Time) (Start, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 {
			return Start{Kind: Newest, N: -n}, nil
		}
		return Start{Kind: FromOffset, N: n}, nil
	}
	t, err := parseTime(s, now)
	if err != nil {
		return Start{}, fmt.Errorf("unknown start %q (want %s)", s, startHelp)
	}
	return Start{Kind: Since, Time: t}, nil
}

// parseTime reads RFC 3339, a date (UTC), or a duration back from now
// with or without its minus sign.
func parseTime(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(strings.TrimPrefix(s, "-")); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	// The input was lowercased; RFC 3339's letters are T and Z.
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, strings.ToUpper(s)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q (want -15m, 2025-01-02T03:04:05Z or 2025-01-02)", s)
}

// String is the start as ParseStart reads it back.
func (s Start) String() string {
	switch s.Kind {
	case Oldest:
		return "oldest"
	case Live:
		return "live"
	case FromOffset:
		return "offset " + strconv.FormatInt(s.N, 10)
	case Since:
		return "since " + s.Time.UTC().Format(time.RFC3339Nano)
	}
	return "newest " + strconv.FormatInt(s.N, 10)
}

// label is the start as the view's header says it: the time in the
// view's zone to the millisecond, and "newest N" per partition when the
// view tails every partition (each partition starts N back).
func (s Start) label(allPartitions bool, loc *time.Location) string {
	switch s.Kind {
	case Live:
		return "live: new records only"
	case Since:
		return "since " + s.Time.In(loc).Format("2006-01-02 15:04:05.000 MST")
	case Newest:
		if allPartitions {
			return s.String() + " per partition"
		}
		return s.String()
	}
	return "from " + s.String() // oldest, offset N
}

// follows says whether a tail from here starts with the cursor on the
// newest record, following new ones; the others start on the first record
// read, as a reader of history expects.
func (s Start) follows() bool { return s.Kind == Newest || s.Kind == Live }

// bounds are a partition's log start and end offsets.
type bounds struct{ start, end int64 }

// first is the offset to start reading a partition at; at is the answer
// to the lookup by time (Since only).
func (s Start) first(b bounds, at int64) int64 {
	switch s.Kind {
	case Oldest:
		return b.start
	case Live:
		return b.end
	case FromOffset:
		return min(max(s.N, b.start), b.end)
	case Since:
		return min(max(at, b.start), b.end)
	}
	return max(b.end-s.N, b.start)
}
