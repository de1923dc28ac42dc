package group

import (
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/coordlog"
	"github.com/kqhq/kq/store/recordbatch"
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

// encodeBatch builds one uncompressed v2 record batch, stamped now (ms).
func encodeBatch(recs []record, now int64) []byte {
	return encodeProducerBatch(recs, now, coordlog.NoProducer)
}

// encodeProducerBatch builds one uncompressed v2 record batch for a
// producer (see coordlog.EncodeBatch).
func encodeProducerBatch(recs []record, now int64, p coordlog.Producer) []byte {
	return coordlog.EncodeBatch(now, p, len(recs), func(i int) ([]byte, []byte) { return recs[i].key, recs[i].value })
}

// errCompressed: kq writes __consumer_offsets uncompressed and clients
// cannot produce to it, so a compressed batch there is not ours.
var errCompressed = coordlog.ErrCompressed

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
	next, err = coordlog.EachBatch(data, func(h recordbatch.Header) error {
		if h.Control() {
			if m, ok := decodeMarker(h); ok {
				recs = append(recs, m)
			}
			return nil
		}
		rs, err := coordlog.ReadRecords(h, h.RecordCount())
		for _, r := range rs {
			recs = append(recs, decodedRecord{offset: r.Offset, key: r.Key, value: r.Value,
				producerID: h.ProducerID(), transactional: h.Transactional()})
		}
		return err
	})
	if err != nil {
		return nil, next, err
	}
	return recs, next, nil
}

// decodeMarker reads a control batch's first record as Kafka's loading
// does: a COMMIT key commits the producer's pending offsets, any other
// control record drops them, and a batch without a readable record is
// ignored.
func decodeMarker(h recordbatch.Header) (decodedRecord, bool) {
	rs, err := coordlog.ReadRecords(h, 1)
	if err != nil || len(rs) == 0 {
		return decodedRecord{}, false
	}
	var key kmsg.ControlRecordKey
	commit := key.ReadFrom(rs[0].Key) == nil && key.Type == controlCommit
	return decodedRecord{offset: h.BaseOffset(), producerID: h.ProducerID(), marker: &txnMarker{commit: commit}}, true
}
