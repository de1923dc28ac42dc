package dumplog

import (
	"fmt"
	"os"
	"strings"

	"github.com/kqhq/kq/store/logdump"
)

// producerOut is one producer of a snapshot as printed.
type producerOut struct {
	logdump.ProducerEntry
	FirstSequence int32 `json:"first_sequence"`
}

// dumpSnapshot prints a producer snapshot. A corrupt one is reported on
// standard error and is not a failure, as in Kafka.
func dumpSnapshot(opts *Options, s *sink, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	entries, err := logdump.ProducerSnapshot(data)
	if err != nil {
		msg, _, _ := strings.Cut(err.Error(), ": "+logdump.ErrCorruptSnapshot.Error())
		fmt.Fprintln(opts.IO.ErrOut, msg)
		return nil
	}
	for _, e := range entries {
		po := producerOut{ProducerEntry: e, FirstSequence: e.FirstSequence()}
		s.line(producerText(e), func(d *fileDump) { d.Producers = append(d.Producers, po) })
	}
	return nil
}

func producerText(e logdump.ProducerEntry) string {
	var txn *int64
	if e.CurrentTxnFirstOffset >= 0 {
		txn = &e.CurrentTxnFirstOffset
	}
	line := fmt.Sprintf("producerId: %d producerEpoch: %d coordinatorEpoch: %d currentTxnFirstOffset: %s lastTimestamp: %d ",
		e.ProducerID, e.Epoch, e.CoordinatorEpoch, optionalLong(txn), e.Timestamp)
	if e.LastOffset >= 0 {
		line += fmt.Sprintf("firstSequence: %d lastSequence: %d lastOffset: %d offsetDelta: %d timestamp: %d",
			e.FirstSequence(), e.LastSequence, e.LastOffset, e.OffsetDelta, e.Timestamp)
	}
	return line
}

// dumpTxnIndex prints the aborted transactions of a .txnindex file.
func dumpTxnIndex(s *sink, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	entries, err := logdump.AbortedTxns(data)
	for _, e := range entries {
		s.line(fmt.Sprintf("version: %d producerId: %d firstOffset: %d lastOffset: %d lastStableOffset: %d",
			e.Version, e.ProducerID, e.FirstOffset, e.LastOffset, e.LastStableOffset),
			func(d *fileDump) { d.AbortedTxns = append(d.AbortedTxns, e) })
	}
	return err
}
