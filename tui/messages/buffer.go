package messages

import (
	"slices"

	"github.com/kqhq/kq/admin"
)

// Limits bound the records a view keeps. When either is reached the
// oldest records go first, so a fast topic cannot eat the terminal's
// memory however long the view stays open.
type Limits struct {
	Records int // at most this many records (DefaultMaxRecords when 0)
	Bytes   int // at most this many bytes of records (DefaultMaxBytes when 0)
}

// The default bound: 10,000 records or 32 MiB, whichever comes first.
const (
	DefaultMaxRecords = 10_000
	DefaultMaxBytes   = 32 << 20
)

// recordOverhead is what a record costs beyond its bytes (the entry, the
// slice headers, the strings): counted so that a flood of empty records is
// bounded too.
const recordOverhead = 160

func (l Limits) withDefaults() Limits {
	if l.Records <= 0 {
		l.Records = DefaultMaxRecords
	}
	if l.Bytes <= 0 {
		l.Bytes = DefaultMaxBytes
	}
	return l
}

// entry is one record in the buffer with what the view derives from it.
type entry struct {
	rec   admin.Record
	size  int  // rec's bytes plus recordOverhead
	match bool // the current search matches it
}

// buffer holds the records on show in order, oldest first: by offset for
// one partition, by timestamp (then partition, offset) for several. It is
// a slice with a moving head, so dropping the oldest is O(1) amortised.
type buffer struct {
	items  []entry // items[head:] are live
	head   int
	bytes  int
	limits Limits
	byTime bool // order by timestamp: several partitions are merged
}

func newBuffer(limits Limits, byTime bool) *buffer {
	return &buffer{limits: limits.withDefaults(), byTime: byTime}
}

// Len is the number of records held.
func (b *buffer) Len() int { return len(b.items) - b.head }

// At is the i-th record, oldest first.
func (b *buffer) At(i int) *entry { return &b.items[b.head+i] }

// Bytes is the memory the records account for.
func (b *buffer) Bytes() int { return b.bytes }

// Full says whether one more record would push out the oldest.
func (b *buffer) Full() bool {
	return b.Len() >= b.limits.Records || b.bytes >= b.limits.Bytes
}

// Room is how many of recs, taken in order, fit without pushing out a
// record; at least one when the buffer is empty, however large it is.
func (b *buffer) Room(recs []admin.Record) int {
	n, bytes := b.Len(), b.bytes
	for i := range recs {
		n++
		bytes += recordSize(&recs[i])
		if n > b.limits.Records || bytes > b.limits.Bytes {
			if i == 0 && b.Len() == 0 {
				return 1
			}
			return i
		}
	}
	return len(recs)
}

// less orders two records as the buffer keeps them.
func (b *buffer) less(x, y *admin.Record) bool {
	if b.byTime && !x.Timestamp.Equal(y.Timestamp) {
		return x.Timestamp.Before(y.Timestamp)
	}
	if x.Partition != y.Partition {
		return x.Partition < y.Partition
	}
	return x.Offset < y.Offset
}

// Insert adds recs in order, then drops the oldest records beyond the
// limits. It returns the first index (after the drops) whose record
// changed, and how many records were dropped. Each record is copied into
// memory of its own: a consumer's records share its fetch buffers, and
// keeping one would keep the whole fetch alive.
func (b *buffer) Insert(recs []admin.Record, match func(*admin.Record) bool) (changed, dropped int) {
	if len(recs) == 0 {
		return b.Len(), 0
	}
	batch := make([]entry, len(recs))
	for i := range recs {
		rec := detach(recs[i])
		batch[i] = entry{rec: rec, size: recordSize(&rec), match: match(&rec)}
		b.bytes += batch[i].size
	}
	slices.SortStableFunc(batch, func(x, y entry) int { return b.compare(&x.rec, &y.rec) })
	changed = b.merge(batch)
	dropped = b.trim()
	return max(0, changed-dropped), dropped
}

func (b *buffer) compare(x, y *admin.Record) int {
	switch {
	case b.less(x, y):
		return -1
	case b.less(y, x):
		return 1
	}
	return 0
}

// merge puts the sorted batch in place and returns the index of its first
// record. Records usually arrive after all held ones, which is an append;
// a merged partition that lags behind the others merges into the tail.
func (b *buffer) merge(batch []entry) int {
	live := b.items[b.head:]
	at, _ := slices.BinarySearchFunc(live, &batch[0].rec, func(e entry, r *admin.Record) int {
		if b.less(r, &e.rec) {
			return 1
		}
		return -1 // equal keys go after what is held
	})
	if at == len(live) {
		b.items = append(b.items, batch...)
		return at
	}
	tail := slices.Clone(live[at:])
	b.items = b.items[:b.head+at]
	for len(tail) > 0 && len(batch) > 0 {
		if b.less(&batch[0].rec, &tail[0].rec) {
			b.items, batch = append(b.items, batch[0]), batch[1:]
		} else {
			b.items, tail = append(b.items, tail[0]), tail[1:]
		}
	}
	b.items = append(append(b.items, tail...), batch...)
	return at
}

// trim drops the oldest records beyond the limits, always keeping the
// newest one however large, and returns how many went.
func (b *buffer) trim() int {
	dropped := 0
	for b.Len() > 1 && (b.Len() > b.limits.Records || b.bytes > b.limits.Bytes) {
		b.bytes -= b.items[b.head].size
		b.items[b.head] = entry{} // let the record's memory go
		b.head++
		dropped++
	}
	if b.head > len(b.items)/2 {
		// Slide the live records down in place: the array keeps its
		// capacity, so a steady tail allocates nothing here.
		n := copy(b.items, b.items[b.head:])
		clear(b.items[n:])
		b.items, b.head = b.items[:n], 0
	}
	return dropped
}

// Rematch recomputes every record's match flag for a new search.
func (b *buffer) Rematch(match func(*admin.Record) bool) {
	for i := b.head; i < len(b.items); i++ {
		b.items[i].match = match(&b.items[i].rec)
	}
}

// Find is the index of the record at partition p and offset off, or -1.
func (b *buffer) Find(p int32, off int64, from int) int {
	for i := max(0, from); i < b.Len(); i++ {
		if r := &b.At(i).rec; r.Partition == p && r.Offset == off {
			return i
		}
	}
	return -1
}

func recordSize(r *admin.Record) int {
	n := recordOverhead + len(r.Key) + len(r.Value) + len(r.Topic)
	for _, h := range r.Headers {
		n += len(h.Key) + len(h.Value) + 32
	}
	return n
}

// detach copies r's bytes into one allocation of their own, keeping nil
// (Kafka's null) apart from empty.
func detach(r admin.Record) admin.Record {
	n := len(r.Key) + len(r.Value)
	for _, h := range r.Headers {
		n += len(h.Value)
	}
	mem := make([]byte, 0, n)
	own := func(b []byte) []byte {
		if b == nil {
			return nil
		}
		start := len(mem)
		mem = append(mem, b...)
		return mem[start:len(mem):len(mem)]
	}
	r.Key, r.Value = own(r.Key), own(r.Value)
	if r.Headers != nil {
		hs := make([]admin.Header, len(r.Headers))
		for i, h := range r.Headers {
			hs[i] = admin.Header{Key: h.Key, Value: own(h.Value)}
		}
		r.Headers = hs
	}
	return r
}
