package handler_test

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/handler"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/internal/txn"
	"github.com/kqhq/kq/store/partitionlog"
	"github.com/kqhq/kq/store/vfs"
)

// testTimeout bounds every wait in these tests; none of them sleeps.
const testTimeout = 10 * time.Second

// self is the id of the broker under test; brokers 2 and 3 are live in its
// metadata cache but run nowhere, so replication is driven by the tests.
const self int32 = 1

// fixture is a real Handler over a real replica manager and partition logs in
// a temporary directory, with in-memory fakes for the metadata-store writes
// (Admin), configs and producer ids.
type fixture struct {
	t        testing.TB
	h        *handler.Handler
	cache    *metadatacache.Cache
	replicas *replica.Manager
	logs     *partitionlog.Manager
	faults   *vfs.Rules // what fails under the logs; nothing until a test adds a rule
	fsyncs   *fsyncGate // holds segment fsyncs while a test keeps it closed
	logCfg   *fakeLogConfigs
	admin    *fakeAdmin
	configs  *fakeConfigs
	pids     *fakeProducerIDs
	groups   *group.Coordinator
	txns     *txn.Coordinator // see txn_test.go
	legacy   *fakeLegacyOffsets
	deps     handler.Deps
	// principal is who requests come from ("" is the broker itself, in
	// process); see authz_test.go.
	principal string

	mu              sync.Mutex
	settings        handler.Settings
	brokers         []kmsg.UpdateMetadataRequestLiveBroker
	topicIDs        map[string][16]byte
	nextID          byte
	controllerEpoch int32
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	faults, fsyncs := &vfs.Rules{}, &fsyncGate{}
	logs, err := partitionlog.OpenManager([]string{t.TempDir()}, partitionlog.ManagerOptions{
		Logger: logger, FileDeleteDelay: time.Millisecond, FS: vfs.WithFaults(vfs.WithFaults(vfs.OS{}, faults), fsyncs),
	})
	if err != nil {
		t.Fatalf("open logs: %v", err)
	}
	t.Cleanup(func() {
		if err := logs.Close(); err != nil {
			t.Errorf("close logs: %v", err)
		}
	})
	f := &fixture{
		t: t, logs: logs, faults: faults, fsyncs: fsyncs, cache: metadatacache.New("test-cluster"),
		logCfg: &fakeLogConfigs{cfg: map[string]partitionlog.Config{}},
		admin:  newFakeAdmin(), configs: newFakeConfigs(t), pids: &fakeProducerIDs{next: 1000},
		legacy: &fakeLegacyOffsets{offsets: map[string]int64{}},
		settings: handler.Settings{AutoCreateTopics: true, NumPartitions: 1, DefaultReplicationFactor: 1, DeleteTopicEnable: true,
			OffsetsTopicReplicationFactor: 3, OffsetsTopicSegmentBytes: 100 << 20, OffsetMetadataMaxBytes: 4096},
		brokers: defaultBrokers(), topicIDs: map[string][16]byte{}, controllerEpoch: 1,
	}
	f.replicas = replica.NewManager(self, logs, f.logCfg, logger, replica.WithLeadershipHook(f.onLeadership))
	f.groups = newTestCoordinator(t, f.replicas, logger)
	f.txns = newTestTxnCoordinator(t, f.replicas, logger, f.pids)
	f.deps = handler.Deps{
		BrokerID: self, Settings: f.currentSettings, Cache: f.cache, Replicas: f.replicas,
		Admin: f.admin, Configs: f.configs, ProducerIDs: f.pids, Logger: logger, Groups: f.groups, Txns: f.txns,
		LegacyOffsets: f.legacy,
		Users:         f.admin,
	}
	f.h = handler.New(f.deps)
	f.updateMetadata() // the live brokers, before any topic
	return f
}

// defaultBrokers: 1 and 2 listen on PLAINTEXT and EXTERNAL, 3 on PLAINTEXT only.
func defaultBrokers() []kmsg.UpdateMetadataRequestLiveBroker {
	broker := func(id int32, external bool) kmsg.UpdateMetadataRequestLiveBroker {
		b := kmsg.NewUpdateMetadataRequestLiveBroker()
		b.ID = id
		b.Endpoints = []kmsg.UpdateMetadataRequestLiveBrokerEndpoint{{Host: "localhost", Port: 9090 + id, ListenerName: "PLAINTEXT"}}
		if external {
			b.Endpoints = append(b.Endpoints, kmsg.UpdateMetadataRequestLiveBrokerEndpoint{
				Host: "ext-" + string(rune('0'+id)), Port: 19090 + id, ListenerName: "EXTERNAL",
			})
		}
		return b
	}
	return []kmsg.UpdateMetadataRequestLiveBroker{broker(1, true), broker(2, true), broker(3, false)}
}

func (f *fixture) currentSettings() handler.Settings {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.settings
}

func (f *fixture) setSettings(fn func(*handler.Settings)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(&f.settings)
}

// part is the controller's state for one partition of a test topic.
type part struct {
	leader   int32
	epoch    int32
	replicas []int32
	isr      []int32 // nil: all replicas
}

// ledHere returns n partitions led by this broker alone.
func ledHere(n int) []part {
	out := make([]part, n)
	for i := range out {
		out[i] = part{leader: self, replicas: []int32{self}}
	}
	return out
}

// topic publishes a topic as the controller would: UpdateMetadata to the
// cache, then LeaderAndIsr for the partitions this broker hosts. It returns
// the topic id, fixed per name until deleteTopic.
func (f *fixture) topic(name string, parts ...part) [16]byte {
	f.t.Helper()
	id := f.topicID(name)
	f.updateMetadata(kmsg.UpdateMetadataRequestTopicState{Topic: name, TopicID: id, PartitionStates: f.metadataStates(parts)})
	if states := f.leaderAndIsrStates(parts); len(states) > 0 {
		resp := f.call(f.leaderAndIsr(kmsg.LeaderAndISRRequestTopicState{Topic: name, TopicID: id, PartitionStates: states})).(*kmsg.LeaderAndISRResponse)
		for _, tr := range resp.Topics {
			for _, p := range tr.Partitions {
				if p.ErrorCode != 0 {
					f.t.Fatalf("LeaderAndIsr %s-%d: error %d", name, p.Partition, p.ErrorCode)
				}
			}
		}
	}
	return id
}

func (f *fixture) topicID(name string) [16]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	id, ok := f.topicIDs[name]
	if !ok {
		f.nextID++
		id = [16]byte{0xAA, f.nextID}
		f.topicIDs[name] = id
	}
	return id
}

func (f *fixture) metadataStates(parts []part) []kmsg.UpdateMetadataRequestTopicPartition {
	out := make([]kmsg.UpdateMetadataRequestTopicPartition, 0, len(parts))
	for i, p := range parts {
		s := kmsg.NewUpdateMetadataRequestTopicPartition()
		s.Partition, s.Leader, s.LeaderEpoch, s.ControllerEpoch = int32(i), p.leader, p.epoch, f.controllerEpoch
		s.Replicas, s.ISR = p.replicas, p.isrOrReplicas()
		out = append(out, s)
	}
	return out
}

func (f *fixture) leaderAndIsrStates(parts []part) []kmsg.LeaderAndISRRequestTopicPartition {
	var out []kmsg.LeaderAndISRRequestTopicPartition
	for i, p := range parts {
		if !slices.Contains(p.replicas, self) {
			continue
		}
		s := kmsg.NewLeaderAndISRRequestTopicPartition()
		s.Partition, s.Leader, s.LeaderEpoch, s.ControllerEpoch = int32(i), p.leader, p.epoch, f.controllerEpoch
		s.Replicas, s.ISR = p.replicas, p.isrOrReplicas()
		out = append(out, s)
	}
	return out
}

func (p part) isrOrReplicas() []int32 {
	if p.isr != nil {
		return p.isr
	}
	return p.replicas
}

func (f *fixture) leaderAndIsr(topics ...kmsg.LeaderAndISRRequestTopicState) *kmsg.LeaderAndISRRequest {
	req := kmsg.NewPtrLeaderAndISRRequest()
	req.Version = 7
	req.ControllerID, req.ControllerEpoch, req.BrokerEpoch = self, f.controllerEpoch, 1
	req.TopicStates = topics
	return req
}

func (f *fixture) stopReplica(topics ...kmsg.StopReplicaRequestTopic) *kmsg.StopReplicaRequest {
	req := kmsg.NewPtrStopReplicaRequest()
	req.Version = 4
	req.ControllerID, req.ControllerEpoch, req.BrokerEpoch = self, f.controllerEpoch, 1
	req.Topics = topics
	return req
}

func (f *fixture) updateMetadata(topics ...kmsg.UpdateMetadataRequestTopicState) {
	f.t.Helper()
	req := kmsg.NewPtrUpdateMetadataRequest()
	req.Version = 8
	req.ControllerID, req.ControllerEpoch, req.BrokerEpoch = self, f.controllerEpoch, 1
	req.LiveBrokers = f.brokers
	req.TopicStates = topics
	if resp := f.call(req).(*kmsg.UpdateMetadataResponse); resp.ErrorCode != 0 {
		f.t.Fatalf("UpdateMetadata: error %d", resp.ErrorCode)
	}
}

// deleteTopic removes a topic as the controller does: UpdateMetadata with
// the delete sentinel, then StopReplica with delete.
func (f *fixture) deleteTopic(name string) {
	f.t.Helper()
	s := kmsg.NewUpdateMetadataRequestTopicPartition()
	s.Leader = metadatacache.LeaderDuringDelete
	f.updateMetadata(kmsg.UpdateMetadataRequestTopicState{Topic: name, TopicID: f.topicID(name), PartitionStates: []kmsg.UpdateMetadataRequestTopicPartition{s}})
	st := kmsg.NewStopReplicaRequestTopic()
	st.Topic = name
	for _, p := range f.replicas.All() {
		if p.Topic == name {
			st.PartitionStates = append(st.PartitionStates, kmsg.StopReplicaRequestTopicPartitionState{
				Partition: p.Index, LeaderEpoch: -2, Delete: true, // -2: deletion, Kafka's EpochDuringDelete
			})
		}
	}
	if len(st.PartitionStates) > 0 {
		resp := f.call(f.stopReplica(st)).(*kmsg.StopReplicaResponse)
		for _, p := range resp.Partitions {
			if p.ErrorCode != 0 {
				f.t.Fatalf("StopReplica %s-%d: error %d", p.Topic, p.Partition, p.ErrorCode)
			}
		}
	}
	f.mu.Lock()
	delete(f.topicIDs, name)
	f.mu.Unlock()
}

// send hands a request to the handler as the server would: encoded at its
// version and decoded again, so only the fields of that version survive.
func (f *fixture) send(req kmsg.Request) (*server.Response, error) {
	f.t.Helper()
	return f.sendOn("PLAINTEXT", req)
}

func (f *fixture) sendOn(listener string, req kmsg.Request) (*server.Response, error) {
	f.t.Helper()
	decoded := kmsg.RequestForKey(req.Key())
	decoded.SetVersion(req.GetVersion())
	if err := decoded.ReadFrom(req.AppendTo(nil)); err != nil {
		f.t.Fatalf("decode %s v%d: %v", kmsg.NameForKey(req.Key()), req.GetVersion(), err)
	}
	return f.h.Handle(context.Background(), &server.Request{
		Key: req.Key(), Version: req.GetVersion(), Body: decoded,
		Conn: server.ConnInfo{ID: 1, Listener: listener, Principal: f.principal},
	})
}

// requestOf wraps a request as the server hands it over, without the
// encode-decode round trip (for benchmarks).
func requestOf(req kmsg.Request) *server.Request {
	return &server.Request{Key: req.Key(), Version: req.GetVersion(), Body: req, Conn: server.ConnInfo{ID: 1, Listener: "PLAINTEXT"}}
}

// call sends a request, waits for its response and returns it decoded from
// its own encoding, as the client would read it.
func (f *fixture) call(req kmsg.Request) kmsg.Response {
	f.t.Helper()
	return f.callOn("PLAINTEXT", req)
}

func (f *fixture) callOn(listener string, req kmsg.Request) kmsg.Response {
	f.t.Helper()
	out, err := f.sendOn(listener, req)
	if err != nil {
		f.t.Fatalf("%s v%d: handler error %v", kmsg.NameForKey(req.Key()), req.GetVersion(), err)
	}
	return f.settle(req, out)
}

// settle waits for a response and decodes it as the client would.
func (f *fixture) settle(req kmsg.Request, out *server.Response) kmsg.Response {
	f.t.Helper()
	waitReady(f.t, out)
	if out.Msg == nil {
		return nil
	}
	out.Msg.SetVersion(req.GetVersion())
	decoded := req.ResponseKind()
	if err := decoded.ReadFrom(out.Msg.AppendTo(nil)); err != nil {
		f.t.Fatalf("decode %s v%d response: %v", kmsg.NameForKey(req.Key()), req.GetVersion(), err)
	}
	return decoded
}

// waitReady waits, up to testTimeout, for a response's Ready.
func waitReady(t testing.TB, out *server.Response) {
	t.Helper()
	if out == nil || out.Ready == nil {
		return
	}
	select {
	case <-out.Ready:
	case <-time.After(testTimeout):
		t.Fatal("response not ready within the test timeout")
	}
}

// isReady reports whether a pending response has completed, without waiting.
func isReady(out *server.Response) bool {
	if out.Ready == nil {
		return true
	}
	select {
	case <-out.Ready:
		return true
	default:
		return false
	}
}

// mustPartition returns a partition this broker hosts.
func mustPartition(f *fixture, topic string, partition int32) *replica.Partition {
	f.t.Helper()
	p, ok := f.replicas.Get(topic, partition)
	if !ok {
		f.t.Fatalf("%s-%d is not hosted here", topic, partition)
	}
	return p
}

// mustLog returns the log of a partition hosted here, for tests that set
// up or inspect the log beneath the partition.
func mustLog(f *fixture, topic string, partition int32) *partitionlog.Log {
	f.t.Helper()
	l, ok := f.logs.Get(partitionlog.TopicPartition{Topic: topic, Partition: partition})
	if !ok {
		f.t.Fatalf("%s-%d has no log here", topic, partition)
	}
	return l
}

// actAsController makes the fake Admin publish what the handlers write, as
// the controller does after reading the metadata store: new topics led by
// their first replica, deletions, added partitions.
func (f *fixture) actAsController() {
	f.admin.onCreate = func(spec handler.TopicSpec) {
		parts := make([]part, len(spec.Assignment))
		for p, replicas := range spec.Assignment {
			parts[p] = part{leader: replicas[0], replicas: replicas}
		}
		f.topic(spec.Name, parts...)
	}
	f.admin.onDelete = f.deleteTopic
	f.admin.onAdd = func(topic string, add map[int32][]int32) {
		t, _ := f.cache.Load().Topic(topic)
		parts := make([]part, len(t.Partitions)+len(add))
		for i, p := range t.Partitions {
			parts[i] = part{leader: p.Leader, epoch: p.LeaderEpoch, replicas: p.Replicas, isr: p.ISR}
		}
		for p, replicas := range add {
			parts[p] = part{leader: replicas[0], replicas: replicas}
		}
		f.topic(topic, parts...)
	}
}

// rebuildHandler makes a new handler over f.deps (after a test changed
// them).
func (f *fixture) rebuildHandler() { f.h = handler.New(f.deps) }
