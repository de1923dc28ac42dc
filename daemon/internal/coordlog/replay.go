// Package coordlog is what the coordinators (groups, transactions) share
// of their internal topic's log: the uncompressed record batches they
// write and read back (batch.go), and reading a partition they just
// became leader of from its start to its end, to rebuild their state.
package coordlog

import "fmt"

// Reader reads a coordinator's partitions (the coordinators' Log without
// Append).
type Reader interface {
	// Read returns whole record batches starting with the one that holds
	// offset, about maxBytes of them (at least one), up to the log end.
	Read(partition int32, offset int64, maxBytes int32) ([]byte, error)
	// Bounds returns the log start and log end offsets.
	Bounds(partition int32) (start, end int64, err error)
}

// Replay reads partition from its log start to the log end as it was when
// the replay began, bufBytes at a time, and hands each read's decoded
// records to apply in log order. decode parses whole batches and returns
// the offset after the last one (below the read's offset when none was
// whole: then bufBytes, the setting bufKey names, is too small). Replay
// stops early, without error, when keepGoing turns false (the partition
// was lost meanwhile).
func Replay[R any](log Reader, partition, bufBytes int32, bufKey string, keepGoing func() bool,
	decode func([]byte) ([]R, int64, error), apply func(R)) error {
	offset, end, err := log.Bounds(partition)
	if err != nil {
		return err
	}
	for offset < end {
		if !keepGoing() {
			return nil
		}
		data, err := log.Read(partition, offset, bufBytes)
		if err != nil {
			return fmt.Errorf("read offset %d: %w", offset, err)
		}
		recs, next, err := decode(data)
		if err != nil {
			return err
		}
		if next <= offset {
			return fmt.Errorf("no whole batch at offset %d (raise %s?)", offset, bufKey)
		}
		for _, r := range recs {
			apply(r)
		}
		offset = next
	}
	return nil
}
