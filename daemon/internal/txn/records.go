package txn

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/coordlog"
	"github.com/kqhq/kq/store/recordbatch"
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

// encodeBatch builds one uncompressed v2 record batch stamped now (ms).
func encodeBatch(recs []record, now int64) []byte {
	return coordlog.EncodeBatch(now, coordlog.NoProducer, len(recs), func(i int) ([]byte, []byte) { return recs[i].key, recs[i].value })
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
	next, err = coordlog.EachBatch(data, func(h recordbatch.Header) error {
		if h.Control() {
			return nil
		}
		rs, err := coordlog.ReadRecords(h, h.RecordCount())
		if err != nil {
			return fmt.Errorf("%w: %w", errBadRecord, err)
		}
		for _, r := range rs {
			recs = append(recs, decodedRecord{offset: r.Offset, key: r.Key, value: r.Value})
		}
		return nil
	})
	if err != nil {
		return nil, next, err
	}
	return recs, next, nil
}
