package group

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// record is one key/value of __consumer_offsets; a nil value is a
// tombstone.
type record struct {
	key, value []byte
}

// Key versions of __consumer_offsets records: 0 and 1 are committed
// offsets, 2 is group metadata (Kafka's GroupMetadataManager).
const (
	offsetKeyVersion = 1
	groupKeyVersion  = 2
)

func offsetKey(groupID string, tp TopicPartition) []byte {
	k := kmsg.OffsetCommitKey{Version: offsetKeyVersion, Group: groupID, Topic: tp.Topic, Partition: tp.Partition}
	return k.AppendTo(nil)
}

// offsetValue encodes a commit as Kafka 3.9 does: version 3 (with the
// leader epoch), or version 1 when an old client asked for an explicit
// expiry.
func offsetValue(o Offset) []byte {
	v := kmsg.NewOffsetCommitValue()
	v.Version, v.Offset, v.LeaderEpoch, v.Metadata, v.CommitTimestamp = 3, o.Offset, o.LeaderEpoch, o.Metadata, o.CommitTime
	if o.ExpireTime >= 0 {
		v.Version, v.ExpireTimestamp = 1, o.ExpireTime
	}
	return v.AppendTo(nil)
}

func groupKey(groupID string) []byte {
	k := kmsg.GroupMetadataKey{Version: groupKeyVersion, Group: groupID}
	return k.AppendTo(nil)
}

// groupValue encodes a group's generation and members (version 3, with
// static instance ids), as written after each rebalance.
func groupValue(g *group) []byte {
	v := kmsg.NewGroupMetadataValue()
	v.Version, v.ProtocolType, v.Generation = 3, g.protocolType, g.generation
	v.CurrentStateTimestamp = g.stateTime.UnixMilli()
	if g.protocol != "" {
		p := g.protocol
		v.Protocol = &p
	}
	if g.leader != "" {
		l := g.leader
		v.Leader = &l
	}
	for _, m := range g.memberList() {
		mv := kmsg.NewGroupMetadataValueMember()
		mv.MemberID, mv.InstanceID, mv.ClientID, mv.ClientHost = m.id, m.instanceID, m.clientID, m.clientHost
		mv.RebalanceTimeoutMillis = int32(m.rebalanceTimeout.Milliseconds())
		mv.SessionTimeoutMillis = int32(m.sessionTimeout.Milliseconds())
		mv.Subscription, mv.Assignment = m.metadata(g.protocol), m.assignment
		v.Members = append(v.Members, mv)
	}
	return v.AppendTo(nil)
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// batchHeaderSize is a v2 batch's fixed header; the CRC covers the bytes
// from attributes (offset 21) on.
const (
	batchHeaderSize = 61
	crcStart        = 21
)

// batchProducer is who a batch is written for: nobody (-1) for the
// coordinator's own records, a transactional producer for TxnOffsetCommit.
type batchProducer struct {
	id            int64
	epoch         int16
	transactional bool
}

var noProducer = batchProducer{id: -1, epoch: -1}

// txnBaseSequence is the base sequence of a transactional offset commit
// batch. Kafka's GroupMetadataManager writes 0 and appends with origin
// COORDINATOR, which checks the producer epoch but neither sequences nor
// duplicates; kq writes -1 ("no sequence"), which the log takes as that
// origin: sequence numbers belong to the producer's data batches.
const txnBaseSequence = -1

// encodeBatch builds one uncompressed v2 record batch, stamped now (ms).
func encodeBatch(recs []record, now int64) []byte {
	return encodeProducerBatch(recs, now, noProducer)
}

// encodeProducerBatch builds one uncompressed v2 record batch for a
// producer: a transactional one gets the transactional attribute, its id
// and epoch.
func encodeProducerBatch(recs []record, now int64, p batchProducer) []byte {
	var body []byte
	for i, r := range recs {
		rec := kmsg.Record{OffsetDelta: int32(i), Key: r.key, Value: r.value}
		n := len(rec.AppendTo(nil)) - 1 // without the one-byte length varint of 0
		rec.Length = int32(n)
		body = rec.AppendTo(body)
	}
	n := int32(len(recs))
	b := kmsg.RecordBatch{
		PartitionLeaderEpoch: -1, Magic: 2, LastOffsetDelta: n - 1, FirstTimestamp: now, MaxTimestamp: now,
		ProducerID: p.id, ProducerEpoch: p.epoch, FirstSequence: -1, NumRecords: n, Records: body,
	}
	if p.transactional {
		b.Attributes |= attrTransactional
		b.FirstSequence = txnBaseSequence
	}
	out := b.AppendTo(nil)
	binary.BigEndian.PutUint32(out[8:12], uint32(len(out)-12))
	binary.BigEndian.PutUint32(out[17:21], crc32.Checksum(out[crcStart:], castagnoli))
	return out
}

// Batch attributes loading looks at.
const (
	attrCompression   = 0x07
	attrTransactional = 0x10
	attrControl       = 0x20
)

// errCompressed: kq writes __consumer_offsets uncompressed and clients
// cannot produce to it, so a compressed batch there is not ours.
var errCompressed = errors.New("compressed batch in __consumer_offsets")

// decodedRecord is a record read back while loading.
type decodedRecord struct {
	offset     int64
	key, value []byte // value nil for a tombstone
	// producerID is the batch's producer; transactional marks a record of
	// a transactional batch (a TxnOffsetCommit, pending until its marker).
	producerID    int64
	transactional bool
	// marker is set for a control batch: the end of producerID's
	// transaction, key and value unused.
	marker *txnMarker
}

// controlCommit is the COMMIT type of a control record key.
const controlCommit kmsg.ControlRecordKeyType = 1

// txnMarker is a transaction marker read back: commit, or abort (also
// any control record that is not a commit, as Kafka treats it).
type txnMarker struct {
	commit bool
}

// decodeBatches parses whole v2 batches and returns their records (one
// marker record per control batch) and the offset after the last batch.
// A partial batch at the end (a read cut at maxBytes) is left for the
// next read.
func decodeBatches(data []byte) (recs []decodedRecord, next int64, err error) {
	next = -1
	for len(data) >= 12 {
		size := 12 + int(binary.BigEndian.Uint32(data[8:12]))
		if size < batchHeaderSize || size > len(data) {
			break
		}
		var b kmsg.RecordBatch
		if err := b.ReadFrom(data[:size]); err != nil {
			return nil, next, fmt.Errorf("decode batch: %w", err)
		}
		data = data[size:]
		next = b.FirstOffset + int64(b.LastOffsetDelta) + 1
		if b.Attributes&attrControl != 0 {
			if m, ok := decodeMarker(b); ok {
				recs = append(recs, m)
			}
			continue
		}
		if b.Attributes&attrCompression != 0 {
			return nil, next, fmt.Errorf("batch at offset %d: %w", b.FirstOffset, errCompressed)
		}
		rs, err := decodeRecords(b)
		if err != nil {
			return nil, next, err
		}
		for i := range rs {
			rs[i].producerID, rs[i].transactional = b.ProducerID, b.Attributes&attrTransactional != 0
		}
		recs = append(recs, rs...)
	}
	return recs, next, nil
}

// decodeMarker reads a control batch's first record as Kafka's loading
// does: a COMMIT key commits the producer's pending offsets, any other
// control record drops them, and a batch without a readable record is
// ignored.
func decodeMarker(b kmsg.RecordBatch) (decodedRecord, bool) {
	if b.Attributes&attrCompression != 0 || b.NumRecords < 1 {
		return decodedRecord{}, false
	}
	b.NumRecords = 1
	rs, err := decodeRecords(b)
	if err != nil || len(rs) == 0 {
		return decodedRecord{}, false
	}
	var key kmsg.ControlRecordKey
	commit := key.ReadFrom(rs[0].key) == nil && key.Type == controlCommit
	return decodedRecord{offset: b.FirstOffset, producerID: b.ProducerID, marker: &txnMarker{commit: commit}}, true
}

// minRecordSize is the smallest encoded record: length, attributes,
// timestamp and offset deltas, key and value lengths, header count.
const minRecordSize = 7

func decodeRecords(b kmsg.RecordBatch) ([]decodedRecord, error) {
	data := b.Records
	if b.NumRecords < 0 || int(b.NumRecords) > len(data)/minRecordSize {
		// The count is not trusted for an allocation: a damaged header
		// must not take the broker's memory.
		return nil, fmt.Errorf("batch at offset %d: %d records cannot fit in %d bytes", b.FirstOffset, b.NumRecords, len(data))
	}
	out := make([]decodedRecord, 0, b.NumRecords)
	for range b.NumRecords {
		length, n := binary.Varint(data)
		if n <= 0 || length < 0 || int64(len(data)-n) < length {
			return nil, fmt.Errorf("batch at offset %d: record length out of range", b.FirstOffset)
		}
		var r kmsg.Record
		if err := r.ReadFrom(data[:n+int(length)]); err != nil {
			return nil, fmt.Errorf("batch at offset %d: decode record: %w", b.FirstOffset, err)
		}
		data = data[n+int(length):]
		out = append(out, decodedRecord{offset: b.FirstOffset + int64(r.OffsetDelta), key: r.Key, value: r.Value})
	}
	return out, nil
}
