package handler_test

import (
	"context"
	"encoding/binary"
	"hash/crc32"
	"log/slog"
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/handler"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// txnBatch is idempotentBatch with the transactional attribute.
func txnBatch(pid int64, epoch int16, seq int32, values ...string) []byte {
	b := idempotentBatch(pid, epoch, seq, values...)
	b[22] |= 0x10
	binary.BigEndian.PutUint32(b[17:21], crc32.Checksum(b[crcStart:], castagnoli))
	return b
}

// markerSpec is one marker of a WriteTxnMarkers request.
type markerSpec struct {
	pid        int64
	epoch      int16
	coordEpoch int32
	commit     bool
	topic      string
	partitions []int32
}

func writeMarkersReq(version int16, specs ...markerSpec) *kmsg.WriteTxnMarkersRequest {
	req := kmsg.NewPtrWriteTxnMarkersRequest()
	req.Version = version
	for _, s := range specs {
		m := kmsg.NewWriteTxnMarkersRequestMarker()
		m.ProducerID, m.ProducerEpoch, m.CoordinatorEpoch, m.Committed = s.pid, s.epoch, s.coordEpoch, s.commit
		t := kmsg.NewWriteTxnMarkersRequestMarkerTopic()
		t.Topic, t.Partitions = s.topic, s.partitions
		m.Topics = []kmsg.WriteTxnMarkersRequestMarkerTopic{t}
		req.Markers = append(req.Markers, m)
	}
	return req
}

// markerCodes returns the error code of each partition, in order.
func markerCodes(resp *kmsg.WriteTxnMarkersResponse) []int16 {
	var out []int16
	for _, m := range resp.Markers {
		for _, t := range m.Topics {
			for _, p := range t.Partitions {
				out = append(out, p.ErrorCode)
			}
		}
	}
	return out
}

func (f *fixture) writeMarkers(specs ...markerSpec) []int16 {
	f.t.Helper()
	return markerCodes(f.call(writeMarkersReq(1, specs...)).(*kmsg.WriteTxnMarkersResponse))
}

func describeProducersReq(topic string, partitions ...int32) *kmsg.DescribeProducersRequest {
	req := kmsg.NewPtrDescribeProducersRequest()
	t := kmsg.NewDescribeProducersRequestTopic()
	t.Topic, t.Partitions = topic, partitions
	req.Topics = []kmsg.DescribeProducersRequestTopic{t}
	return req
}

func (f *fixture) producers(topic string, partition int32) kmsg.DescribeProducersResponseTopicPartition {
	f.t.Helper()
	resp := f.call(describeProducersReq(topic, partition)).(*kmsg.DescribeProducersResponse)
	return resp.Topics[0].Partitions[0]
}

func TestWriteTxnMarkersEndsTransaction(t *testing.T) {
	for _, version := range []int16{0, 1} {
		f := newFixture(t)
		f.topic("t", ledHere(1)...)
		f.produce("t", 0, txnBatch(7, 2, 0, "a", "b"))
		p := f.producers("t", 0)
		if len(p.ActiveProducers) != 1 || p.ActiveProducers[0].CurrentTxnStartOffset != 0 || p.ActiveProducers[0].ProducerEpoch != 2 {
			t.Fatalf("v%d: producers before the marker %+v", version, p)
		}
		resp := f.call(writeMarkersReq(version, markerSpec{pid: 7, epoch: 2, coordEpoch: 5, commit: true, topic: "t", partitions: []int32{0}})).(*kmsg.WriteTxnMarkersResponse)
		if codes := markerCodes(resp); len(codes) != 1 || codes[0] != 0 || resp.Markers[0].ProducerID != 7 {
			t.Fatalf("v%d: marker %+v", version, resp)
		}
		if leo := mustLog(f, "t", 0).LogEndOffset(); leo != 3 {
			t.Fatalf("v%d: log end %d, want the marker at 2", version, leo)
		}
		p = f.producers("t", 0)
		ap := p.ActiveProducers[0]
		if ap.CurrentTxnStartOffset != -1 || ap.CoordinatorEpoch != 5 || ap.LastSequence != 1 || ap.ProducerID != 7 {
			t.Fatalf("v%d: producers after the marker %+v", version, p)
		}
	}
}

func TestWriteTxnMarkersErrors(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	f.topic("elsewhere", part{leader: 2, replicas: []int32{2, 3}})
	f.topic("follower", part{leader: 2, replicas: []int32{2, self}})
	f.topic("short-isr", part{leader: self, replicas: []int32{self, 2}, isr: []int32{self}})
	f.configs.mu.Lock()
	f.configs.minInsync = map[string]int{"short-isr": 2}
	f.configs.mu.Unlock()
	f.produce("t", 0, txnBatch(7, 2, 0, "a"))
	if codes := f.writeMarkers(markerSpec{pid: 7, epoch: 2, coordEpoch: 5, commit: false, topic: "t", partitions: []int32{0}}); codes[0] != 0 {
		t.Fatalf("abort: %v", codes)
	}
	tests := []struct {
		name string
		spec markerSpec
		want int16
	}{
		{"unknown topic", markerSpec{pid: 7, epoch: 2, coordEpoch: 5, topic: "nope", partitions: []int32{0}}, kerr.UnknownTopicOrPartition.Code},
		{"unknown partition", markerSpec{pid: 7, epoch: 2, coordEpoch: 5, topic: "t", partitions: []int32{9}}, kerr.UnknownTopicOrPartition.Code},
		{"led by another broker", markerSpec{pid: 7, epoch: 2, coordEpoch: 5, topic: "elsewhere", partitions: []int32{0}}, kerr.NotLeaderForPartition.Code},
		{"a follower here", markerSpec{pid: 7, epoch: 2, coordEpoch: 5, topic: "follower", partitions: []int32{0}}, kerr.NotLeaderForPartition.Code},
		{"older producer epoch", markerSpec{pid: 7, epoch: 1, coordEpoch: 5, topic: "t", partitions: []int32{0}}, kerr.InvalidProducerEpoch.Code},
		{"older coordinator epoch", markerSpec{pid: 7, epoch: 2, coordEpoch: 4, topic: "t", partitions: []int32{0}}, kerr.TransactionCoordinatorFenced.Code},
		{"ISR below min.insync.replicas", markerSpec{pid: 7, epoch: 2, coordEpoch: 5, topic: "short-isr", partitions: []int32{0}}, kerr.NotEnoughReplicas.Code},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if codes := f.writeMarkers(tt.spec); len(codes) != 1 || codes[0] != tt.want {
				t.Fatalf("codes %v, want %d", codes, tt.want)
			}
		})
	}
}

// TestWriteTxnMarkersWaitsForFollower: the answer comes once the marker
// is replicated to the ISR (acks=all), off the request path.
func TestWriteTxnMarkersWaitsForFollower(t *testing.T) {
	f := newFixture(t)
	f.topic("t", part{leader: self, replicas: []int32{self, 2}})
	req := writeMarkersReq(1, markerSpec{pid: 7, epoch: 0, coordEpoch: 0, commit: true, topic: "t", partitions: []int32{0}})
	out, err := f.send(req)
	if err != nil {
		t.Fatal(err)
	}
	if isReady(out) {
		t.Fatal("answered before the follower fetched the marker")
	}
	f.call(followerFetch(2, "t", 0, 1))
	if codes := markerCodes(f.settle(req, out).(*kmsg.WriteTxnMarkersResponse)); codes[0] != 0 {
		t.Fatalf("codes %v", codes)
	}
}

func txnOffsetCommitReq(version int16, group string, pid int64, epoch int16, topic string, partition int32, offset int64) *kmsg.TxnOffsetCommitRequest {
	req := kmsg.NewPtrTxnOffsetCommitRequest()
	req.Version, req.TransactionalID, req.Group, req.ProducerID, req.ProducerEpoch = version, "tx", group, pid, epoch
	req.Generation = -1
	p := kmsg.NewTxnOffsetCommitRequestTopicPartition()
	p.Partition, p.Offset, p.LeaderEpoch = partition, offset, -1
	t := kmsg.NewTxnOffsetCommitRequestTopic()
	t.Topic, t.Partitions = topic, []kmsg.TxnOffsetCommitRequestTopicPartition{p}
	req.Topics = []kmsg.TxnOffsetCommitRequestTopic{t}
	return req
}

func (f *fixture) txnOffsetCommit(req *kmsg.TxnOffsetCommitRequest) int16 {
	f.t.Helper()
	resp := f.call(req).(*kmsg.TxnOffsetCommitResponse)
	return resp.Topics[0].Partitions[0].ErrorCode
}

// fetchOffset is OffsetFetch v7 of one partition.
func (f *fixture) fetchOffset(group, topic string, partition int32, requireStable bool) kmsg.OffsetFetchResponseTopicPartition {
	f.t.Helper()
	req := kmsg.NewPtrOffsetFetchRequest()
	req.Version, req.Group, req.RequireStable = 7, group, requireStable
	req.Topics = []kmsg.OffsetFetchRequestTopic{{Topic: topic, Partitions: []int32{partition}}}
	resp := f.call(req).(*kmsg.OffsetFetchResponse)
	return resp.Topics[0].Partitions[0]
}

func TestTxnOffsetCommitVisibleAfterMarker(t *testing.T) {
	for _, commit := range []bool{true, false} {
		f := newFixture(t)
		f.offsetsLedHere()
		f.topic("t", ledHere(1)...)
		for version := int16(0); version <= 4; version++ {
			if code := f.txnOffsetCommit(txnOffsetCommitReq(version, "g", 7, 0, "t", 0, 10+int64(version))); code != 0 {
				t.Fatalf("TxnOffsetCommit v%d: error %d", version, code)
			}
		}
		if p := f.fetchOffset("g", "t", 0, true); p.ErrorCode != kerr.UnstableOffsetCommit.Code {
			t.Fatalf("require_stable while pending: %+v", p)
		}
		if p := f.fetchOffset("g", "t", 0, false); p.ErrorCode != 0 || p.Offset != -1 {
			t.Fatalf("pending offset visible: %+v", p)
		}
		offsets := f.groups.PartitionFor("g")
		if codes := f.writeMarkers(markerSpec{pid: 7, epoch: 0, commit: commit, topic: group.TopicName, partitions: []int32{offsets}}); codes[0] != 0 {
			t.Fatalf("marker: %v", codes)
		}
		want := map[bool]int64{true: 14, false: -1}[commit]
		if p := f.fetchOffset("g", "t", 0, true); p.ErrorCode != 0 || p.Offset != want {
			t.Fatalf("commit %v: after the marker %+v, want offset %d", commit, p, want)
		}
	}
}

func TestTxnOffsetCommitErrors(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	if code := f.txnOffsetCommit(txnOffsetCommitReq(3, "g", 7, 0, "t", 0, 1)); code != kerr.NotCoordinator.Code {
		t.Fatalf("offsets not led here: %d", code)
	}
	f.offsetsLedHere()
	m := &member{f: f, group: "g"}
	if resp := m.join(9); resp.ErrorCode != 0 {
		t.Fatalf("join: %d", resp.ErrorCode)
	}
	if resp := m.sync(map[string][]byte{m.id: nil}); resp.ErrorCode != 0 {
		t.Fatalf("sync: %d", resp.ErrorCode)
	}
	stale := txnOffsetCommitReq(3, "g", 7, 0, "t", 0, 1)
	stale.Generation, stale.MemberID = m.gen+1, m.id
	unknown := txnOffsetCommitReq(3, "g", 7, 0, "t", 0, 1)
	unknown.Generation, unknown.MemberID = m.gen, "nobody"
	current := txnOffsetCommitReq(3, "g", 7, 1, "t", 0, 1)
	current.Generation, current.MemberID = m.gen, m.id
	tests := []struct {
		name string
		req  *kmsg.TxnOffsetCommitRequest
		want int16
	}{
		{"unknown topic", txnOffsetCommitReq(3, "g", 7, 0, "nope", 0, 1), kerr.UnknownTopicOrPartition.Code},
		{"unknown partition", txnOffsetCommitReq(3, "g", 7, 0, "t", 5, 1), kerr.UnknownTopicOrPartition.Code},
		{"empty group id", txnOffsetCommitReq(3, "", 7, 0, "t", 0, 1), kerr.InvalidGroupID.Code},
		{"illegal generation", stale, kerr.IllegalGeneration.Code},
		{"unknown member", unknown, kerr.UnknownMemberID.Code},
		{"current member", current, 0},
		{"older producer epoch", txnOffsetCommitReq(3, "g", 7, 0, "t", 0, 1), kerr.InvalidProducerEpoch.Code},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := f.txnOffsetCommit(tt.req); code != tt.want {
				t.Fatalf("code %d, want %d", code, tt.want)
			}
		})
	}
}

func TestDescribeProducersErrors(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	f.topic("elsewhere", part{leader: 2, replicas: []int32{2, 3}})
	tests := []struct {
		topic     string
		partition int32
		want      int16
	}{
		{"t", 0, 0},
		{"t", 3, kerr.UnknownTopicOrPartition.Code},
		{"nope", 0, kerr.UnknownTopicOrPartition.Code},
		{"elsewhere", 0, kerr.NotLeaderForPartition.Code},
		{"bad/name", 0, kerr.InvalidTopicException.Code},
	}
	for _, tt := range tests {
		p := f.producers(tt.topic, tt.partition)
		if p.ErrorCode != tt.want || p.Partition != tt.partition {
			t.Errorf("%s-%d: %+v, want error %d", tt.topic, tt.partition, p, tt.want)
		}
		if tt.want == 0 && len(p.ActiveProducers) != 0 {
			t.Errorf("%s-%d: producers %+v, want none", tt.topic, tt.partition, p.ActiveProducers)
		}
	}
}

// fakeVerifier answers KIP-890 verification with a fixed error and
// records what it was asked.
type fakeVerifier struct {
	mu    sync.Mutex
	err   error
	asked []txn.TopicPartition
}

func (v *fakeVerifier) VerifyTxnPartitions(_ context.Context, _ string, _ int64, _ int16, parts []txn.TopicPartition) (map[txn.TopicPartition]error, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.asked = append(v.asked, parts...)
	out := map[txn.TopicPartition]error{}
	for _, tp := range parts {
		out[tp] = v.err
	}
	return out, nil
}

// withVerifier rebuilds the fixture's handler with a verifier and
// transaction.partition.verification.enable on.
func (f *fixture) withVerifier(v handler.TxnVerifier) {
	f.setSettings(func(s *handler.Settings) { s.TransactionPartitionVerificationEnable = true })
	f.h = handler.New(handler.Deps{
		BrokerID: self, Settings: f.currentSettings, Cache: f.cache, Replicas: f.replicas,
		Admin: f.admin, Configs: f.configs, ProducerIDs: f.pids, Logger: slog.New(slog.DiscardHandler),
		Groups: f.groups, Txns: f.txns, TxnVerifier: v,
	})
}

func TestTxnOffsetCommitVerification(t *testing.T) {
	f := newFixture(t)
	f.offsetsLedHere()
	f.topic("t", ledHere(1)...)
	v := &fakeVerifier{}
	f.withVerifier(v)
	tests := []struct {
		name    string
		err     error
		version int16
		want    int16
	}{
		{"not in the transaction, old client", kerr.TransactionAbortable, 3, kerr.InvalidTxnState.Code},
		{"not in the transaction", kerr.TransactionAbortable, 4, kerr.TransactionAbortable.Code},
		{"coordinator unavailable", kerr.NotEnoughReplicas, 4, kerr.CoordinatorNotAvailable.Code},
		{"fenced", kerr.InvalidProducerEpoch, 4, kerr.InvalidProducerEpoch.Code},
		{"verified", nil, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v.mu.Lock()
			v.err, v.asked = tt.err, nil
			v.mu.Unlock()
			if code := f.txnOffsetCommit(txnOffsetCommitReq(tt.version, "g", 7, 0, "t", 0, 1)); code != tt.want {
				t.Fatalf("code %d, want %d", code, tt.want)
			}
			v.mu.Lock()
			defer v.mu.Unlock()
			want := txn.TopicPartition{Topic: group.TopicName, Partition: f.groups.PartitionFor("g")}
			if len(v.asked) != 1 || v.asked[0] != want {
				t.Fatalf("verified %v, want %v", v.asked, want)
			}
		})
	}
	if p := f.fetchOffset("g", "t", 0, true); p.ErrorCode != kerr.UnstableOffsetCommit.Code {
		t.Fatalf("verified commit not pending: %+v", p)
	}
}
