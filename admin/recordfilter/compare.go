package recordfilter

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// cmp is a comparison operator of partition, offset and timestamp terms.
type cmp string

// holds says whether "got op want" is true, given got's order against
// want (-1, 0, 1).
func (c cmp) holds(order int) bool {
	switch c {
	case "<":
		return order < 0
	case "<=":
		return order <= 0
	case ">":
		return order > 0
	case ">=":
		return order >= 0
	case "!=":
		return order != 0
	}
	return order == 0 // = and :
}

func checkCmp(f string, op token) (cmp, error) {
	switch op.text {
	case "~", "!~":
		return "", fmt.Errorf("%s%s at column %d: %s takes =, !=, <, <=, > or >=", f, op.text, op.pos+1, f)
	}
	return cmp(op.text), nil
}

// numberTerm is partition or offset against a number, or for = and != a
// list of numbers (partition=0,2).
func numberTerm(f field, op token, val operand) (node, error) {
	c, err := checkCmp(f.text, op)
	if err != nil {
		return nil, err
	}
	var nums []int64
	for _, s := range strings.Split(val.text, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s%s%s: %q is not a number", f.text, op.text, val.text, s)
		}
		nums = append(nums, n)
	}
	if len(nums) > 1 && c != "=" && c != ":" && c != "!=" {
		return nil, fmt.Errorf("%s%s%s: a list goes with = or != only", f.text, op.text, val.text)
	}
	return numberNode{offset: f.kind == fOffset, op: c, want: nums}, nil
}

type numberNode struct {
	offset bool // else the partition
	op     cmp
	want   []int64
}

func (n numberNode) match(r *record) bool {
	got := int64(r.Partition)
	if n.offset {
		got = r.Offset
	}
	if len(n.want) > 1 {
		return slices.Contains(n.want, got) == (n.op != "!=")
	}
	return n.op.holds(compareInt(got, n.want[0]))
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// timeTerm is timestamp against a time, to the millisecond.
func timeTerm(op token, val operand, now time.Time) (node, error) {
	c, err := checkCmp("timestamp", op)
	if err != nil {
		return nil, err
	}
	t, err := parseTime(val.text, now)
	if err != nil {
		return nil, fmt.Errorf("timestamp%s%s: %w", op.text, val.text, err)
	}
	return timeNode{op: c, want: t.UnixMilli()}, nil
}

type timeNode struct {
	op   cmp
	want int64 // epoch milliseconds
}

func (n timeNode) match(r *record) bool {
	got := int64(-1) // Kafka's "no timestamp"
	if !r.Timestamp.IsZero() {
		got = r.Timestamp.UnixMilli()
	}
	return n.op.holds(compareInt(got, n.want))
}

// parseTime reads epoch milliseconds, RFC 3339, a date or a date and time
// in UTC, or -DURATION back from now.
func parseTime(s string, now time.Time) (time.Time, error) {
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms), nil
	}
	if d, ok := strings.CutPrefix(s, "-"); ok {
		if dur, err := time.ParseDuration(d); err == nil {
			return now.Add(-dur), nil
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("want epoch milliseconds, RFC 3339 (2025-01-02T03:04:05Z), a date (2025-01-02) or -DURATION (-15m)")
}
