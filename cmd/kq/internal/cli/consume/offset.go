package consume

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// OffsetKind says how a start position is given.
type OffsetKind int

// The --offset forms.
const (
	OffsetEnd       OffsetKind = iota // "end": only new records (the default)
	OffsetStart                       // "start", --from-beginning
	OffsetExact                       // "N"
	OffsetFromStart                   // "+N": N after the log start
	OffsetFromEnd                     // "-N": N before the end
	OffsetTime                        // "@ts", "@-1h": the first record at or after a time
)

// StartOffset is a parsed --offset.
type StartOffset struct {
	Kind OffsetKind
	N    int64 // the offset, or the count for +N / -N
	// Millis is the time for OffsetTime, epoch milliseconds.
	Millis int64
}

// ParseOffset reads --offset: start (or beginning, earliest), end (or
// latest), N, +N, -N, @TIME or @-DURATION. TIME is epoch milliseconds,
// RFC 3339 (2024-05-01T12:00:00Z) or a date (2024-05-01, UTC); @-1h is one
// hour before now.
func ParseOffset(s string, now time.Time) (StartOffset, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "start", "beginning", "earliest", "oldest":
		return StartOffset{Kind: OffsetStart}, nil
	case "end", "latest", "newest":
		return StartOffset{Kind: OffsetEnd}, nil
	}
	if rest, ok := strings.CutPrefix(s, "@"); ok {
		ms, err := parseTime(rest, now)
		if err != nil {
			return StartOffset{}, err
		}
		return StartOffset{Kind: OffsetTime, Millis: ms}, nil
	}
	kind := OffsetExact
	digits := s
	switch {
	case strings.HasPrefix(s, "+"):
		kind, digits = OffsetFromStart, s[1:]
	case strings.HasPrefix(s, "-"):
		kind, digits = OffsetFromEnd, s[1:]
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n < 0 {
		return StartOffset{}, fmt.Errorf("invalid offset %q (want start, end, N, +N, -N, @TIME or @-DURATION)", s)
	}
	return StartOffset{Kind: kind, N: n}, nil
}

func parseTime(s string, now time.Time) (int64, error) {
	if d, ok := strings.CutPrefix(s, "-"); ok {
		dur, err := time.ParseDuration(d)
		if err != nil {
			return 0, fmt.Errorf("invalid duration in @-%s: %w", d, err)
		}
		return now.Add(-dur).UnixMilli(), nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms >= 0 {
		return ms, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMilli(), nil
		}
	}
	return 0, fmt.Errorf("invalid time %q (want epoch milliseconds, RFC 3339, YYYY-MM-DD or -DURATION)", s)
}

// bounds are a partition's log start and end as the consume began.
type bounds struct{ start, end int64 }

// resolve is the first offset to read in a partition with bounds b;
// byTime is the partition's answer to a lookup by time (OffsetTime only).
// The result always lies within [start, end].
func (o StartOffset) resolve(b bounds, byTime int64) int64 {
	var off int64
	switch o.Kind {
	case OffsetStart:
		off = b.start
	case OffsetExact:
		off = o.N
	case OffsetFromStart:
		off = b.start + o.N
	case OffsetFromEnd:
		off = b.end - o.N
	case OffsetTime:
		off = byTime
	default:
		off = b.end
	}
	return min(max(off, b.start), b.end)
}

// timestamp is what to ask ListOffsets for this start, besides the bounds.
func (o StartOffset) timestamp() (int64, bool) {
	if o.Kind == OffsetTime {
		return o.Millis, true
	}
	return 0, false
}
