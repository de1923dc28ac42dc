package txn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// Records of __transaction_state, as Kafka 3.9 writes them in ZooKeeper
// mode (transaction.version 0):
//
//	key   version 0  TxnMetadataKey{transactional id}
//	value version 0  {producer id, producer epoch, timeout ms, state id,
//	                 topics [{topic, [partition]}] (null when Empty),
//	                 last update ms, start ms}
//	null value       a tombstone: the transactional id expired
//
// Value version 1 (flexible, with tagged fields) is read too.
const (
	keyVersion   = 0
	valueVersion = 0
)

// record is one key/value; a nil value is a tombstone.
type record struct {
	key, value []byte
}

func txnKey(id string) []byte {
	k := kmsg.TxnMetadataKey{Version: keyVersion, TransactionalID: id}
	return k.AppendTo(nil)
}

func txnValue(t transit) []byte {
	v := kmsg.NewTxnMetadataValue()
	v.Version, v.ProducerID, v.ProducerEpoch = valueVersion, t.producerID, t.epoch
	v.TimeoutMillis, v.State = t.timeoutMs, kmsg.TransactionState(t.state)
	v.LastUpdateTimestamp, v.StartTimestamp = t.lastUpdate, t.start
	if t.state != Empty {
		v.Topics = []kmsg.TxnMetadataValueTopic{}
		for _, tp := range t.partitions {
			if n := len(v.Topics); n > 0 && v.Topics[n-1].Topic == tp.Topic {
				v.Topics[n-1].Partitions = append(v.Topics[n-1].Partitions, tp.Partition)
				continue
			}
			v.Topics = append(v.Topics, kmsg.TxnMetadataValueTopic{Topic: tp.Topic, Partitions: []int32{tp.Partition}})
		}
	}
	return v.AppendTo(nil)
}

var errBadRecord = errors.New("bad __transaction_state record")

// decodeKey returns the transactional id of a key; ok is false for a key
// version this broker does not know (skipped, as Kafka does).
func decodeKey(b []byte) (id string, ok bool, err error) {
	if len(b) < 2 {
		return "", false, fmt.Errorf("%w: key of %d bytes", errBadRecord, len(b))
	}
	if v := int16(binary.BigEndian.Uint16(b)); v != keyVersion {
		return "", false, nil
	}
	var k kmsg.TxnMetadataKey
	if err := k.ReadFrom(b); err != nil {
		return "", false, fmt.Errorf("%w: key: %v", errBadRecord, err)
	}
	return k.TransactionalID, true, nil
}

// decodeValue rebuilds a transactional id's state from its value. The
// previous producer id and epoch are not in version 0 and load as -1.
func decodeValue(id string, b []byte) (*txnMeta, error) {
	if len(b) < 2 || int16(binary.BigEndian.Uint16(b)) > 1 || int16(binary.BigEndian.Uint16(b)) < 0 {
		return nil, fmt.Errorf("%w: value version of %q", errBadRecord, id)
	}
	var v kmsg.TxnMetadataValue
	if err := v.ReadFrom(b); err != nil {
		return nil, fmt.Errorf("%w: value of %q: %v", errBadRecord, id, err)
	}
	st := State(v.State)
	if st < Empty || st > PrepareEpochFence {
		return nil, fmt.Errorf("%w: state %d of %q", errBadRecord, v.State, id)
	}
	m := &txnMeta{
		id: id, producerID: v.ProducerID, lastProducerID: noProducerID, epoch: v.ProducerEpoch, lastEpoch: noEpoch,
		timeoutMs: v.TimeoutMillis, state: st, partitions: map[TopicPartition]struct{}{},
		start: v.StartTimestamp, lastUpdate: v.LastUpdateTimestamp,
	}
	if st != Empty {
		for _, t := range v.Topics {
			for _, p := range t.Partitions {
				m.partitions[TopicPartition{Topic: t.Topic, Partition: p}] = struct{}{}
			}
		}
	}
	return m, nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// A v2 batch's fixed header is 61 bytes; its CRC covers the bytes from
// the attributes (offset 21) on.
const (
	batchHeaderSize = 61
	crcStart        = 21
)

// encodeBatch builds one uncompressed v2 record batch stamped now (ms).
func encodeBatch(recs []record, now int64) []byte {
	var body []byte
	for i, r := range recs {
		rec := kmsg.Record{OffsetDelta: int32(i), Key: r.key, Value: r.value}
		rec.Length = int32(len(rec.AppendTo(nil)) - 1) // without the one-byte varint of length 0
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

// decodedRecord is a record read back while loading.
type decodedRecord struct {
	offset     int64
	key, value []byte // value nil for a tombstone
}

// decodeBatches parses whole v2 batches, skipping control batches, and
// returns their records and the offset after the last whole batch (-1
// when there is none: a read cut short is left for the next read).
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
		if b.Attributes&0x20 != 0 { // control batch
			continue
		}
		if b.Attributes&0x07 != 0 {
			return nil, next, fmt.Errorf("%w: compressed batch at offset %d", errBadRecord, b.FirstOffset)
		}
		rs, err := decodeRecords(b)
		if err != nil {
			return nil, next, err
		}
		recs = append(recs, rs...)
	}
	return recs, next, nil
}

// minRecordSize is the smallest encoded record.
const minRecordSize = 7

func decodeRecords(b kmsg.RecordBatch) ([]decodedRecord, error) {
	data := b.Records
	if b.NumRecords < 0 || int(b.NumRecords) > len(data)/minRecordSize {
		// A damaged count must not size an allocation.
		return nil, fmt.Errorf("%w: batch at offset %d: %d records cannot fit in %d bytes", errBadRecord, b.FirstOffset, b.NumRecords, len(data))
	}
	out := make([]decodedRecord, 0, b.NumRecords)
	for range b.NumRecords {
		length, n := binary.Varint(data)
		if n <= 0 || length < 0 || int64(len(data)-n) < length {
			return nil, fmt.Errorf("%w: batch at offset %d: record length out of range", errBadRecord, b.FirstOffset)
		}
		var r kmsg.Record
		if err := r.ReadFrom(data[:n+int(length)]); err != nil {
			return nil, fmt.Errorf("%w: batch at offset %d: %v", errBadRecord, b.FirstOffset, err)
		}
		data = data[n+int(length):]
		out = append(out, decodedRecord{offset: b.FirstOffset + int64(r.OffsetDelta), key: r.Key, value: r.Value})
	}
	return out, nil
}
