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

// encodeBatch builds one uncompressed v2 record batch, stamped now (ms).
func encodeBatch(recs []record, now int64) []byte {
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
		ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1, NumRecords: n, Records: body,
	}
	out := b.AppendTo(nil)
	binary.BigEndian.PutUint32(out[8:12], uint32(len(out)-12))
	binary.BigEndian.PutUint32(out[17:21], crc32.Checksum(out[crcStart:], castagnoli))
	return out
}

// errCompressed: kq writes __consumer_offsets uncompressed and clients
// cannot produce to it, so a compressed batch there is not ours.
var errCompressed = errors.New("compressed batch in __consumer_offsets")

// decodedRecord is a record read back while loading.
type decodedRecord struct {
	offset     int64
	key, value []byte // value nil for a tombstone
}

// decodeBatches parses whole v2 batches, skipping control batches, and
// returns their records and the offset after the last batch. A partial
// batch at the end (a read cut at maxBytes) is left for the next read.
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
		if b.Attributes&0x20 != 0 { // control batch (transaction marker)
			continue
		}
		if b.Attributes&0x07 != 0 {
			return nil, next, fmt.Errorf("batch at offset %d: %w", b.FirstOffset, errCompressed)
		}
		rs, err := decodeRecords(b)
		if err != nil {
			return nil, next, err
		}
		recs = append(recs, rs...)
	}
	return recs, next, nil
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
