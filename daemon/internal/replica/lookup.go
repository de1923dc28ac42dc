package replica

// OffsetForTimestamp answers ListOffsets for a timestamp >= 0 from this
// broker's log: the first offset whose record timestamp is at or after ts,
// and that timestamp; ok is false when no record qualifies. The caller
// bounds the answer by what the client may read (Offsets,
// LastStableOffset).
func (p *Partition) OffsetForTimestamp(ts int64) (offset, timestamp int64, ok bool, err error) {
	return p.log.OffsetForTimestamp(ts)
}

// MaxTimestamp answers ListOffsets MAX_TIMESTAMP: the largest record
// timestamp of the log and the offset of the first record carrying it,
// (-1, -1) when no record has one.
func (p *Partition) MaxTimestamp() (timestamp, offset int64, err error) {
	return p.log.MaxTimestamp()
}
