package checker

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Position is one offset of one partition.
type Position struct {
	Partition int32
	Offset    int64
}

func (p Position) String() string { return fmt.Sprintf("%d@%d", p.Partition, p.Offset) }

// Lost is an acknowledged write no final consumer read.
type Lost struct {
	Value string
	At    Position // where it was acknowledged
}

// Duplicate is one value found at more than one position.
type Duplicate struct {
	Value string
	At    []Position
}

// Inconsistent is one position holding different values.
type Inconsistent struct {
	At     Position
	Values []string
}

// Reorder is an acknowledged send written before one acknowledged ahead
// of it in the same partition: its offset is below the earlier one's.
type Reorder struct {
	Value string
	At    Position // where it was acknowledged
	// Earlier is the value acknowledged before it, at the higher EarlierAt.
	Earlier   string
	EarlierAt Position
}

// Jump is a consumer's step from one offset of a partition to the next
// that should not happen: backwards (non-monotonic) or over a value.
type Jump struct {
	Consumer  string
	Partition int32
	From, To  int64
	// Missed is a value the consumer jumped over (skips only).
	Missed string
}

// Result is the checker's verdict on a history.
type Result struct {
	Acked, Failed int
	Lost          []Lost
	Duplicates    []Duplicate
	Inconsistent  []Inconsistent
	Reordered     []Reorder
	NonMonotonic  []Jump
	Skipped       []Jump
	AbortedReads  []Poll
	// G1c lists each cycle of write-read edges alone (its transactions,
	// one strongly connected component each); WriteCycles the cycles that
	// need a write-write edge, which Kafka's transactions allow (counted,
	// not an anomaly: see cycles).
	WriteCycles, G1c [][]int
	// Unavailable is the longest time between two acknowledgements of
	// one partition, and that partition.
	Unavailable          time.Duration
	UnavailablePartition int32
	// Idempotent is copied from the history: duplicates are then errors.
	Idempotent bool
	// Ordered is copied from the history: reorders are then errors.
	Ordered bool
}

// Err returns nil for a history without anomalies, else every anomaly
// class found with a few examples.
func (r Result) Err() error {
	var errs []error
	add := func(n int, what string, example any) {
		if n > 0 {
			errs = append(errs, fmt.Errorf("%d %s (first: %+v)", n, what, example))
		}
	}
	if len(r.Lost) > 0 {
		add(len(r.Lost), "acknowledged writes lost", r.Lost[0])
	}
	if r.Idempotent && len(r.Duplicates) > 0 {
		add(len(r.Duplicates), "duplicates from an idempotent producer", r.Duplicates[0])
	}
	if len(r.Inconsistent) > 0 {
		add(len(r.Inconsistent), "offsets with two values", r.Inconsistent[0])
	}
	if r.Ordered && len(r.Reordered) > 0 {
		add(len(r.Reordered), "acknowledged writes out of their order", r.Reordered[0])
	}
	if len(r.NonMonotonic) > 0 {
		add(len(r.NonMonotonic), "non-monotonic reads", r.NonMonotonic[0])
	}
	if len(r.Skipped) > 0 {
		add(len(r.Skipped), "skipped reads", r.Skipped[0])
	}
	if len(r.AbortedReads) > 0 {
		add(len(r.AbortedReads), "aborted reads", r.AbortedReads[0])
	}
	if len(r.G1c) > 0 {
		add(len(r.G1c), "G1c cycles", r.G1c[0])
	}
	return errors.Join(errs...)
}

// Header names the columns of Row.
func Header() string {
	return fmt.Sprintf("%-34s %7s %6s %4s %4s %6s %6s %7s %7s %7s %4s %4s %s",
		"scenario", "acked", "failed", "lost", "dup", "incons", "reord", "nonmono", "skipped", "aborted", "ww*", "g1c", "longest unavailability")
}

// Row is the verdict as one line of a table under Header.
func (r Result) Row(scenario string) string {
	dup := fmt.Sprint(len(r.Duplicates))
	if !r.Idempotent {
		dup += "*" // allowed: a plain producer's retries
	}
	reord := fmt.Sprint(len(r.Reordered))
	if !r.Ordered {
		reord += "*" // allowed: several producers, or requests in flight
	}
	return fmt.Sprintf("%-34s %7d %6d %4d %4s %6d %6s %7d %7d %7d %4d %4d %v (partition %d)",
		scenario, r.Acked, r.Failed, len(r.Lost), dup, len(r.Inconsistent), reord, len(r.NonMonotonic),
		len(r.Skipped), len(r.AbortedReads), len(r.WriteCycles), len(r.G1c), r.Unavailable.Round(time.Millisecond), r.UnavailablePartition)
}

// Table is Header and Row, each prefixed so `make faults` can collect them.
func (r Result) Table(scenario string) string {
	return strings.Join([]string{"checker: " + Header(), "checker: " + r.Row(scenario)}, "\n")
}
