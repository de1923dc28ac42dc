package partitionlog

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/kqhq/kq/store/recordbatch"
)

// errDamaged marks the first batch recovery refuses; everything from it on
// is cut. It is internal: callers see the truncation, not an error.
var errDamaged = errors.New("damaged batch")

// recover validates every batch from the start of the file (length, magic,
// CRC32C, offsets increasing and inside the segment's int32 range), rebuilds
// both indexes as the live path would have written them, and cuts the file at
// the first batch that fails. damage describes that batch (nil when the
// file was intact); err is an I/O failure. onBatch sees every valid batch
// header in order (the leader epoch cache is rebuilt from it).
func (s *segment) recover(interval int32, onBatch func(header)) (damage error, err error) {
	s.offsets.truncate(0)
	s.times.truncate(0)
	if err := s.activate(); err != nil {
		return nil, err
	}
	s.lastIndexedPos = 0
	s.next.Store(s.base)
	s.maxTs.Store(-1)
	s.maxTsOffset.Store(s.base)
	fileSize := s.size.Load()
	r := bufio.NewReaderSize(io.NewSectionReader(s.log, 0, fileSize), int(min(max(fileSize, 4096), 1<<20)))
	pos := int64(0)
	for pos < fileSize {
		h, err := s.recoverBatch(r, pos, fileSize)
		if errors.Is(err, errDamaged) {
			damage = err
			break
		}
		if err != nil {
			return nil, err
		}
		if err := s.indexBatch(pos, h.LastOffset(), h.MaxTimestamp(), interval); err != nil {
			return nil, err
		}
		s.next.Store(h.LastOffset() + 1)
		onBatch(h)
		pos += h.Size()
	}
	if pos < fileSize {
		if err := s.log.Truncate(pos); err != nil {
			return nil, fmt.Errorf("truncate %s to %d: %w", s.log.Name(), pos, err)
		}
	}
	s.size.Store(pos)
	s.rollBaseTs = -1
	return damage, nil
}

// recoverBatch reads and checks the batch at pos, streaming its bytes
// through the CRC rather than holding the batch in memory.
func (s *segment) recoverBatch(r *bufio.Reader, pos, fileSize int64) (header, error) {
	if fileSize-pos < recordbatch.HeaderSize {
		return nil, fmt.Errorf("torn header at byte %d: %w", pos, errDamaged)
	}
	h := make(header, recordbatch.HeaderSize)
	if _, err := io.ReadFull(r, h); err != nil {
		return nil, fmt.Errorf("read %s at %d: %w", s.log.Name(), pos, err)
	}
	if err := s.checkRecoveredHeader(h, pos, fileSize); err != nil {
		return nil, err
	}
	crc := recordbatch.NewCRC()
	crc.Write(h[recordbatch.PosAttributes:])
	if _, err := io.CopyN(crc, r, h.Size()-recordbatch.HeaderSize); err != nil {
		return nil, fmt.Errorf("read %s at %d: %w", s.log.Name(), pos, err)
	}
	if crc.Sum32() != h.CRC() {
		return nil, fmt.Errorf("crc mismatch at byte %d: %w", pos, errDamaged)
	}
	return h, nil
}

func (s *segment) checkRecoveredHeader(h header, pos, fileSize int64) error {
	switch {
	case h.Length() < recordbatch.MinLength || pos+h.Size() > fileSize:
		return fmt.Errorf("batch at byte %d declares %d bytes, %d left: %w", pos, h.Size(), fileSize-pos, errDamaged)
	case h.Magic() != recordbatch.Magic:
		return fmt.Errorf("magic %d at byte %d: %w", h.Magic(), pos, errDamaged)
	case h.LastOffsetDelta() < 0 || h.BaseOffset() < s.next.Load() || !s.fits(h.LastOffset()):
		return fmt.Errorf("offsets %d..%d at byte %d do not follow %d in segment %d: %w",
			h.BaseOffset(), h.LastOffset(), pos, s.next.Load(), s.base, errDamaged)
	}
	return nil
}
