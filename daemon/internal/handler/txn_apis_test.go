package handler_test

import (
	"log/slog"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/handler"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/internal/txn"
)

func TestFindCoordinatorCreatesTxnStateTopic(t *testing.T) {
	f := newFixture(t)
	f.actAsController()
	f.setSettings(func(s *handler.Settings) {
		s.TransactionStateLogReplicationFactor, s.TransactionStateLogSegmentBytes = 3, 100<<20
	})
	req := kmsg.NewPtrFindCoordinatorRequest()
	req.Version, req.CoordinatorType, req.CoordinatorKey = 3, 1, "tx"
	resp := f.call(req).(*kmsg.FindCoordinatorResponse)
	if len(f.admin.created) != 1 {
		t.Fatalf("created %d topics", len(f.admin.created))
	}
	spec := f.admin.created[0]
	if spec.Name != txn.TopicName || len(spec.Assignment) != testTxnPartitions || len(spec.Assignment[0]) != 3 ||
		spec.Configs["cleanup.policy"] != "compact" || spec.Configs["segment.bytes"] != "104857600" ||
		spec.Configs["compression.type"] != "uncompressed" || spec.Configs["unclean.leader.election.enable"] != "false" {
		t.Fatalf("transaction state topic spec %+v", spec)
	}
	p, _ := f.cache.Load().Partition(txn.TopicName, f.txns.PartitionFor("tx"))
	if resp.ErrorCode != 0 || resp.NodeID != p.Leader || resp.Port != 9090+p.Leader {
		t.Fatalf("coordinator %+v, want the leader %d of partition %d", resp, p.Leader, f.txns.PartitionFor("tx"))
	}
	f.call(req)
	if len(f.admin.created) != 1 {
		t.Fatal("__transaction_state created twice")
	}
}

// txnClient drives one transactional producer through the handler.
type txnClient struct {
	f     *fixture
	id    string
	pid   int64
	epoch int16
}

func (c *txnClient) init(version int16) *kmsg.InitProducerIDResponse {
	req := kmsg.NewPtrInitProducerIDRequest()
	req.Version, req.TransactionalID, req.TransactionTimeoutMillis = version, kmsg.StringPtr(c.id), 60_000
	req.ProducerID, req.ProducerEpoch = -1, -1
	resp := c.f.call(req).(*kmsg.InitProducerIDResponse)
	if resp.ErrorCode == 0 {
		c.pid, c.epoch = resp.ProducerID, resp.ProducerEpoch
	}
	return resp
}

// add sends AddPartitionsToTxn v3 and returns each partition's code.
func (c *txnClient) add(version int16, topic string, partitions ...int32) map[int32]int16 {
	req := kmsg.NewPtrAddPartitionsToTxnRequest()
	req.Version, req.TransactionalID, req.ProducerID, req.ProducerEpoch = version, c.id, c.pid, c.epoch
	req.Topics = []kmsg.AddPartitionsToTxnRequestTopic{{Topic: topic, Partitions: partitions}}
	resp := c.f.call(req).(*kmsg.AddPartitionsToTxnResponse)
	out := map[int32]int16{}
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			out[p.Partition] = p.ErrorCode
		}
	}
	return out
}

func (c *txnClient) end(version int16, commit bool) int16 {
	req := kmsg.NewPtrEndTxnRequest()
	req.Version, req.TransactionalID, req.ProducerID, req.ProducerEpoch, req.Commit = version, c.id, c.pid, c.epoch, commit
	return c.f.call(req).(*kmsg.EndTxnResponse).ErrorCode
}

func (c *txnClient) describe() kmsg.DescribeTransactionsResponseTransactionState {
	req := kmsg.NewPtrDescribeTransactionsRequest()
	req.TransactionalIDs = []string{c.id}
	return c.f.call(req).(*kmsg.DescribeTransactionsResponse).TransactionStates[0]
}

func TestTransactionThroughHandler(t *testing.T) {
	f := newFixture(t)
	f.offsetsLedHere()
	f.txnStateLedHere()
	f.topic("t", ledHere(2)...)
	c := &txnClient{f: f, id: "tx"}
	if r := c.init(4); r.ErrorCode != 0 || r.ProducerID != 1000 || r.ProducerEpoch != 0 {
		t.Fatalf("init %+v", r)
	}
	if got := c.add(3, "missing", 0); got[0] != kerr.UnknownTopicOrPartition.Code {
		t.Fatalf("unknown topic: %v", got)
	}
	if got := c.add(3, "t", 0, 9); got[0] != kerr.OperationNotAttempted.Code || got[9] != kerr.UnknownTopicOrPartition.Code {
		t.Fatalf("unknown partition: %v", got)
	}
	if got := c.add(3, "t", 0); got[0] != 0 {
		t.Fatalf("add: %v", got)
	}
	off := kmsg.NewPtrAddOffsetsToTxnRequest()
	off.Version, off.TransactionalID, off.ProducerID, off.ProducerEpoch, off.Group = 3, c.id, c.pid, c.epoch, "g"
	if code := f.call(off).(*kmsg.AddOffsetsToTxnResponse).ErrorCode; code != 0 {
		t.Fatalf("add offsets: %d", code)
	}
	d := c.describe()
	if d.ErrorCode != 0 || d.State != "Ongoing" || d.ProducerID != c.pid || d.TimeoutMillis != 60_000 || d.StartTimestamp <= 0 || len(d.Topics) != 2 ||
		d.Topics[0].Topic != group.TopicName || d.Topics[0].Partitions[0] != f.groups.PartitionFor("g") || d.Topics[1].Topic != "t" {
		t.Fatalf("describe ongoing %+v", d)
	}
	verify := kmsg.NewPtrAddPartitionsToTxnRequest()
	verify.Version = 5
	verify.Transactions = []kmsg.AddPartitionsToTxnRequestTransaction{{
		TransactionalID: c.id, ProducerID: c.pid, ProducerEpoch: c.epoch, VerifyOnly: true,
		Topics: []kmsg.AddPartitionsToTxnRequestTransactionTopic{{Topic: "t", Partitions: []int32{0, 1}}},
	}}
	vr := f.call(verify).(*kmsg.AddPartitionsToTxnResponse)
	if len(vr.Transactions) != 1 || vr.Transactions[0].TransactionalID != c.id {
		t.Fatalf("verify %+v", vr)
	}
	codes := vr.Transactions[0].Topics[0].Partitions
	if codes[0].ErrorCode != 0 || codes[1].ErrorCode != kerr.TransactionAbortable.Code {
		t.Fatalf("verify codes %+v", codes)
	}
	list := kmsg.NewPtrListTransactionsRequest()
	list.Version, list.StateFilters, list.DurationFilterMillis = 1, []string{"Ongoing", "Nope"}, -1
	lr := f.call(list).(*kmsg.ListTransactionsResponse)
	if lr.ErrorCode != 0 || len(lr.TransactionStates) != 1 || lr.TransactionStates[0].TransactionState != "Ongoing" ||
		!slices.Equal(lr.UnknownStateFilters, []string{"Nope"}) {
		t.Fatalf("list %+v", lr)
	}
	if code := c.end(3, true); code != 0 {
		t.Fatalf("commit: %d", code)
	}
	waitFor(t, "CompleteCommit", func() bool { return c.describe().State == "CompleteCommit" })
	jobs := f.txnMarkers().sent()
	if len(jobs) != 1 || !jobs[0].Commit || len(jobs[0].Partitions) != 2 {
		t.Fatalf("markers %+v", jobs)
	}
	if code := c.end(3, true); code != 0 {
		t.Fatalf("commit retry: %d", code)
	}
	if code := c.end(3, false); code != kerr.InvalidTxnState.Code {
		t.Fatalf("abort after commit: %d", code)
	}
	// The transaction survives the coordinator moving: unload and load.
	part := f.txns.PartitionFor(c.id)
	f.txns.BecameFollower(part)
	if d := c.describe(); d.ErrorCode != kerr.NotCoordinator.Code {
		t.Fatalf("describe after unload %+v", d)
	}
	f.txns.BecameLeader(part, 1)
	waitFor(t, "reloaded", func() bool { return f.txns.IsCoordinatorFor(c.id) == nil })
	if d := c.describe(); d.State != "CompleteCommit" || d.ProducerEpoch != c.epoch {
		t.Fatalf("describe after reload %+v", d)
	}
}

// TestTxnFencedByVersion: old versions get INVALID_PRODUCER_EPOCH where
// newer ones get PRODUCER_FENCED, as Kafka answers.
func TestTxnFencedByVersion(t *testing.T) {
	f := newFixture(t)
	f.txnStateLedHere()
	f.topic("t", ledHere(1)...)
	c := &txnClient{f: f, id: "tx"}
	c.init(4)
	zombie := *c
	c.init(4) // a new instance: epoch 1
	tests := []struct {
		name string
		call func(v int16) int16
		new  int16 // first version answering PRODUCER_FENCED
		max  int16
	}{
		{"AddPartitionsToTxn", func(v int16) int16 { return zombie.add(v, "t", 0)[0] }, 2, 3},
		{"EndTxn", func(v int16) int16 { return zombie.end(v, true) }, 2, 4},
		{"AddOffsetsToTxn", func(v int16) int16 {
			req := kmsg.NewPtrAddOffsetsToTxnRequest()
			req.Version, req.TransactionalID, req.ProducerID, req.ProducerEpoch, req.Group = v, zombie.id, zombie.pid, zombie.epoch, "g"
			return f.call(req).(*kmsg.AddOffsetsToTxnResponse).ErrorCode
		}, 2, 4},
		{"InitProducerId", func(v int16) int16 {
			req := kmsg.NewPtrInitProducerIDRequest()
			req.Version, req.TransactionalID, req.TransactionTimeoutMillis = v, kmsg.StringPtr("tx"), 1000
			req.ProducerID, req.ProducerEpoch = zombie.pid, 7 // neither current nor last
			return f.call(req).(*kmsg.InitProducerIDResponse).ErrorCode
		}, 4, 5},
	}
	for _, tc := range tests {
		min := int16(0)
		if tc.name == "InitProducerId" {
			min = 3 // producer id and epoch arrived in v3
		}
		for v := min; v <= tc.max; v++ {
			want := kerr.InvalidProducerEpoch.Code
			if v >= tc.new {
				want = kerr.ProducerFenced.Code
			}
			if got := tc.call(v); got != want {
				t.Fatalf("%s v%d: code %d, want %d", tc.name, v, got, want)
			}
		}
	}
}

// TestTxnAPIsWithoutCoordinator: without a transaction coordinator every
// API answers an error, never panics.
func TestTxnAPIsWithoutCoordinator(t *testing.T) {
	h := handler.New(handler.Deps{BrokerID: self, Cache: metadatacache.New("c"), Logger: slog.New(slog.DiscardHandler),
		Settings: func() handler.Settings { return handler.Settings{} }})
	init := kmsg.NewPtrInitProducerIDRequest()
	init.Version, init.TransactionalID, init.TransactionTimeoutMillis = 4, kmsg.StringPtr("tx"), 1000
	add := kmsg.NewPtrAddPartitionsToTxnRequest()
	add.Version, add.TransactionalID = 3, "tx"
	add.Topics = []kmsg.AddPartitionsToTxnRequestTopic{{Topic: "t", Partitions: []int32{0}}}
	off := kmsg.NewPtrAddOffsetsToTxnRequest()
	end := kmsg.NewPtrEndTxnRequest()
	desc := kmsg.NewPtrDescribeTransactionsRequest()
	desc.TransactionalIDs = []string{"tx"}
	list := kmsg.NewPtrListTransactionsRequest()
	find := kmsg.NewPtrFindCoordinatorRequest()
	find.Version, find.CoordinatorType = 3, 1
	for _, req := range []kmsg.Request{init, add, off, end, desc, list, find} {
		out, err := h.Handle(t.Context(), &server.Request{Key: req.Key(), Version: req.GetVersion(), Body: req})
		if err != nil {
			t.Fatalf("%s: %v", kmsg.NameForKey(req.Key()), err)
		}
		waitReady(t, out)
		if code := firstErrorCode(out.Msg); code == 0 {
			t.Fatalf("%s answered no error: %+v", kmsg.NameForKey(req.Key()), out.Msg)
		}
	}
}

func firstErrorCode(msg kmsg.Response) int16 {
	switch r := msg.(type) {
	case *kmsg.InitProducerIDResponse:
		return r.ErrorCode
	case *kmsg.AddPartitionsToTxnResponse:
		if len(r.Topics) == 0 {
			return 0
		}
		return r.Topics[0].Partitions[0].ErrorCode
	case *kmsg.AddOffsetsToTxnResponse:
		return r.ErrorCode
	case *kmsg.EndTxnResponse:
		return r.ErrorCode
	case *kmsg.DescribeTransactionsResponse:
		return r.TransactionStates[0].ErrorCode
	case *kmsg.ListTransactionsResponse:
		return r.ErrorCode
	case *kmsg.FindCoordinatorResponse:
		return r.ErrorCode
	}
	return 0
}

// TestAddPartitionsToTxnBatched: v4 answers each transaction of the
// batch on its own: one adds its partition, one names a missing topic.
func TestAddPartitionsToTxnBatched(t *testing.T) {
	f := newFixture(t)
	f.txnStateLedHere()
	f.topic("t", ledHere(1)...)
	a, b := &txnClient{f: f, id: "a"}, &txnClient{f: f, id: "b"}
	a.init(4)
	b.init(4)
	req := kmsg.NewPtrAddPartitionsToTxnRequest()
	req.Version = 4
	for _, c := range []struct {
		cl    *txnClient
		topic string
	}{{a, "t"}, {b, "missing"}} {
		req.Transactions = append(req.Transactions, kmsg.AddPartitionsToTxnRequestTransaction{
			TransactionalID: c.cl.id, ProducerID: c.cl.pid, ProducerEpoch: c.cl.epoch,
			Topics: []kmsg.AddPartitionsToTxnRequestTransactionTopic{{Topic: c.topic, Partitions: []int32{0}}},
		})
	}
	resp := f.call(req).(*kmsg.AddPartitionsToTxnResponse)
	if resp.ErrorCode != 0 || len(resp.Transactions) != 2 {
		t.Fatalf("batched %+v", resp)
	}
	for i, want := range []int16{0, kerr.UnknownTopicOrPartition.Code} {
		r := resp.Transactions[i]
		if r.TransactionalID != req.Transactions[i].TransactionalID || r.Topics[0].Partitions[0].ErrorCode != want {
			t.Fatalf("transaction %d: %+v", i, r)
		}
	}
	if d := a.describe(); d.State != "Ongoing" {
		t.Fatalf("a after the batch %+v", d)
	}
	if d := b.describe(); d.State != "Empty" {
		t.Fatalf("b after the batch %+v", d)
	}
}
