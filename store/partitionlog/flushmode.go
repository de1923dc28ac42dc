package partitionlog

// FlushMode is kq's own flush.mode: when an append counts as stored, which
// is when the broker may acknowledge it and count it towards the high
// watermark. Kafka's flush settings (flush.messages, flush.ms, the fsync of
// a rolled segment) apply in both modes.
type FlushMode int8

const (
	// FlushPageCache counts an append stored once its bytes are in the page
	// cache, as Kafka does: a crash of the machine may lose what no fsync
	// reached yet, and replication is the defence.
	FlushPageCache FlushMode = iota
	// FlushGroupCommit counts an append stored only once an fsync covers
	// it. The log's syncer (log_sync.go) runs one fsync for every batch
	// appended while the previous fsync ran, so concurrent producers share
	// the cost.
	FlushGroupCommit
)

// String is the flush.mode value naming m.
func (m FlushMode) String() string {
	if m == FlushGroupCommit {
		return "group-commit"
	}
	return "pagecache"
}
