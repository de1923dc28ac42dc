package compat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// sarama (github.com/IBM/sarama) speaks the protocol version of the Kafka
// release its config names: old releases mean legacy message sets, which
// kq converts on produce and down-converts on fetch.
var saramaVersions = []struct {
	name    string
	version sarama.KafkaVersion
	magic1  bool // message timestamps survive
}{
	{"0.8.2 (Produce v0, Fetch v0, magic 0)", sarama.V0_8_2_0, false},
	{"0.9.0 (Produce v1, Fetch v1, magic 0)", sarama.V0_9_0_0, false},
	{"0.10.0 (Produce v2, Fetch v2, magic 1)", sarama.V0_10_0_0, true},
	{"default " + sarama.DefaultVersion.String() + " (record batches)", sarama.DefaultVersion, true},
}

var saramaCodecs = []sarama.CompressionCodec{
	sarama.CompressionNone, sarama.CompressionGZIP, sarama.CompressionSnappy, sarama.CompressionLZ4, sarama.CompressionZSTD,
}

// codecSupported is sarama's own rule: lz4 from 0.10 (magic 1), zstd from
// 2.1 (record batches). kcat covers lz4 in magic 0 (KAFKA-3160 framing).
func codecSupported(v sarama.KafkaVersion, c sarama.CompressionCodec) bool {
	switch c {
	case sarama.CompressionLZ4:
		return v.IsAtLeast(sarama.V0_10_0_0)
	case sarama.CompressionZSTD:
		return v.IsAtLeast(sarama.V2_1_0_0)
	}
	return true
}

const saramaWait = 30 * time.Second

func saramaConfig(v sarama.KafkaVersion) *sarama.Config {
	cfg := sarama.NewConfig()
	cfg.Version = v
	cfg.ClientID = "kq-compat"
	cfg.Producer.Return.Successes = true
	cfg.Producer.RequiredAcks = sarama.WaitForAll
	cfg.Producer.Flush.Messages = 1000 // one request, so compressed sets hold many messages
	cfg.Producer.Flush.Frequency = 10 * time.Millisecond
	cfg.Consumer.Return.Errors = true
	cfg.Metadata.Retry.Backoff = 50 * time.Millisecond
	return cfg
}

// saramaMessages are n messages with a null key, an empty value and a
// large one among them, stamped a second apart from a fixed time.
func saramaMessages(topic string, n int) []*sarama.ProducerMessage {
	base := time.UnixMilli(1_700_000_000_000)
	msgs := make([]*sarama.ProducerMessage, n)
	for i := range msgs {
		m := &sarama.ProducerMessage{Topic: topic, Timestamp: base.Add(time.Duration(i) * time.Second)}
		switch {
		case i%10 == 3:
			m.Value = sarama.ByteEncoder{}
		case i%50 == 7:
			m.Value = sarama.ByteEncoder(bytes.Repeat([]byte{byte(i)}, 20_000))
		default:
			m.Value = sarama.StringEncoder(fmt.Sprintf("value-%04d", i))
		}
		if i%5 != 0 {
			m.Key = sarama.StringEncoder(fmt.Sprintf("key-%d", i%7))
		}
		msgs[i] = m
	}
	return msgs
}

func TestSaramaProduceConsumeEveryVersionAndCodec(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	for vi, sv := range saramaVersions {
		for _, codec := range saramaCodecs {
			if !codecSupported(sv.version, codec) {
				continue
			}
			t.Run(sv.name+"/"+codec.String(), func(t *testing.T) {
				topic := fmt.Sprintf("sarama-%d-%s", vi, codec)
				createTopic(t, b.Admin(), topic, 1, nil)
				cfg := saramaConfig(sv.version)
				cfg.Producer.Compression = codec
				sent := saramaMessages(topic, 200)
				saramaProduce(t, b.Addr, cfg, sent)
				for i, m := range sent {
					if m.Offset != int64(i) {
						t.Fatalf("message %d acknowledged at offset %d", i, m.Offset)
					}
				}
				got := saramaConsume(t, b.Addr, cfg, topic, 0, sarama.OffsetOldest, len(sent))
				checkSaramaMessages(t, sent, got, sv.magic1)
			})
		}
	}
}

func saramaProduce(t *testing.T, addr string, cfg *sarama.Config, msgs []*sarama.ProducerMessage) {
	t.Helper()
	p, err := sarama.NewSyncProducer([]string{addr}, cfg)
	if err != nil {
		t.Fatalf("sarama producer: %v", err)
	}
	defer p.Close()
	if err := p.SendMessages(msgs); err != nil {
		t.Fatalf("sarama produce: %v", err)
	}
}

// saramaConsume reads n messages of one partition from offset.
func saramaConsume(t *testing.T, addr string, cfg *sarama.Config, topic string, partition int32, offset int64, n int) []*sarama.ConsumerMessage {
	t.Helper()
	c, err := sarama.NewConsumer([]string{addr}, cfg)
	if err != nil {
		t.Fatalf("sarama consumer: %v", err)
	}
	defer c.Close()
	pc, err := c.ConsumePartition(topic, partition, offset)
	if err != nil {
		t.Fatalf("consume %s-%d: %v", topic, partition, err)
	}
	defer pc.Close()
	deadline := time.After(saramaWait)
	var got []*sarama.ConsumerMessage
	for len(got) < n {
		select {
		case m := <-pc.Messages():
			got = append(got, m)
		case err := <-pc.Errors():
			t.Fatalf("consume %s-%d after %d messages: %v", topic, partition, len(got), err)
		case <-deadline:
			t.Fatalf("consume %s-%d: %d of %d messages within %v", topic, partition, len(got), n, saramaWait)
		}
	}
	return got
}

func checkSaramaMessages(t *testing.T, sent []*sarama.ProducerMessage, got []*sarama.ConsumerMessage, timestamps bool) {
	t.Helper()
	if len(got) != len(sent) {
		t.Fatalf("%d messages consumed, %d sent", len(got), len(sent))
	}
	for i, m := range got {
		key, value := encoded(t, sent[i].Key), encoded(t, sent[i].Value)
		if m.Offset != sent[i].Offset || !bytes.Equal(m.Key, key) || (m.Key == nil) != (key == nil) || !bytes.Equal(m.Value, value) {
			t.Fatalf("message %d: offset %d key %q value %.20q; sent offset %d key %q value %.20q",
				i, m.Offset, m.Key, m.Value, sent[i].Offset, key, value)
		}
		if timestamps && !m.Timestamp.Equal(sent[i].Timestamp) {
			t.Fatalf("message %d: timestamp %v, sent %v", i, m.Timestamp, sent[i].Timestamp)
		}
	}
}

func encoded(t *testing.T, e sarama.Encoder) []byte {
	t.Helper()
	if e == nil {
		return nil
	}
	b, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSaramaOldConsumerReadsNewRecords: records franz-go writes (zstd,
// headers) reach a sarama 0.9/0.10 consumer down-converted: zstd
// decompressed, headers dropped, offsets and values intact.
func TestSaramaOldConsumerReadsNewRecords(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	cl := b.Client(kgo.ProducerBatchCompression(kgo.ZstdCompression()))
	defer cl.Close()
	createTopic(t, b.Admin(), "new-records", 1, nil)
	want := produceAll(t, cl, "new-records", 300)[0]
	for _, v := range []sarama.KafkaVersion{sarama.V0_9_0_0, sarama.V0_10_0_0} {
		got := saramaConsume(t, b.Addr, saramaConfig(v), "new-records", 0, 5, len(want)-5)
		for i, m := range got {
			w := want[i+5]
			if m.Offset != w.Offset || !bytes.Equal(m.Key, w.Key) || !bytes.Equal(m.Value, w.Value) || len(m.Headers) != 0 {
				t.Fatalf("sarama %s message %d: offset %d %q=%q with %d headers; want %d %q=%q and none", v, i, m.Offset, m.Key, m.Value, len(m.Headers), w.Offset, w.Key, w.Value)
			}
		}
	}
}

// TestSaramaOffsetManagerOldVersions: sarama's offset manager commits and
// fetches offsets with OffsetCommit/OffsetFetch v1 (0.8.2) and v2/v1 (0.9)
// for a group without members.
func TestSaramaOffsetManagerOldVersions(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	createTopic(t, b.Admin(), "offsets", 1, nil)
	for _, v := range []sarama.KafkaVersion{sarama.V0_8_2_0, sarama.V0_9_0_0} {
		group := "old-" + v.String()
		commitWithOffsetManager(t, b.Addr, saramaConfig(v), group, 42)
		if got := committed(t, b.Admin(), group, "offsets", 0); got != 42 {
			t.Fatalf("sarama %s committed %d, kadm reads %d", v, 42, got)
		}
	}
}

func commitWithOffsetManager(t *testing.T, addr string, cfg *sarama.Config, group string, offset int64) {
	t.Helper()
	client, err := sarama.NewClient([]string{addr}, cfg)
	if err != nil {
		t.Fatalf("sarama client: %v", err)
	}
	defer client.Close()
	om, err := sarama.NewOffsetManagerFromClient(group, client)
	if err != nil {
		t.Fatalf("offset manager: %v", err)
	}
	pom, err := om.ManagePartition("offsets", 0)
	if err != nil {
		t.Fatalf("manage partition: %v", err)
	}
	if next, _ := pom.NextOffset(); next != sarama.OffsetNewest && next != -1 {
		t.Fatalf("fresh group starts at %d, want no committed offset", next)
	}
	pom.MarkOffset(offset, "meta")
	om.Commit()
	if err := pom.Close(); err != nil {
		t.Fatalf("close partition offset manager: %v", err)
	}
	if err := om.Close(); err != nil {
		t.Fatalf("close offset manager: %v", err)
	}
	// A second manager reads the commit back through OffsetFetch.
	om2, err := sarama.NewOffsetManagerFromClient(group, client)
	if err != nil {
		t.Fatalf("offset manager: %v", err)
	}
	defer om2.Close()
	pom2, err := om2.ManagePartition("offsets", 0)
	if err != nil {
		t.Fatalf("manage partition: %v", err)
	}
	defer pom2.Close()
	if next, meta := pom2.NextOffset(); next != offset || meta != "meta" {
		t.Fatalf("sarama %s reads back offset %d %q, want %d \"meta\"", cfg.Version, next, meta, offset)
	}
}

func committed(t *testing.T, adm *kadm.Client, group, topic string, partition int32) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), saramaWait)
	defer cancel()
	offsets, err := adm.FetchOffsets(ctx, group)
	if err != nil {
		t.Fatalf("fetch offsets of %s: %v", group, err)
	}
	o, ok := offsets.Lookup(topic, partition)
	if !ok {
		return -1
	}
	return o.At
}

// TestSaramaConsumerGroup: a sarama consumer group (JoinGroup, SyncGroup,
// Heartbeat, OffsetCommit, LeaveGroup at the versions of its release)
// consumes everything, commits, and a later session resumes after the
// commit.
func TestSaramaConsumerGroup(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"group.initial.rebalance.delay.ms": "0"}})
	for _, v := range []sarama.KafkaVersion{sarama.V0_10_2_0, sarama.DefaultVersion} {
		t.Run(v.String(), func(t *testing.T) {
			topic, group := "group-"+v.String(), "sarama-"+v.String()
			createTopic(t, b.Admin(), topic, 3, nil)
			cfg := saramaConfig(v)
			cfg.Consumer.Offsets.Initial = sarama.OffsetOldest
			saramaProduce(t, b.Addr, cfg, saramaMessages(topic, 150))
			if n := consumeGroup(t, b.Addr, cfg, group, topic, 150); n != 150 {
				t.Fatalf("first session consumed %d, want 150", n)
			}
			var total int64
			for p := range int32(3) {
				total += committed(t, b.Admin(), group, topic, p)
			}
			if total != 150 {
				t.Fatalf("committed offsets sum to %d, want 150", total)
			}
			saramaProduce(t, b.Addr, cfg, saramaMessages(topic, 30))
			if n := consumeGroup(t, b.Addr, cfg, group, topic, 30); n != 30 {
				t.Fatalf("second session consumed %d, want only the 30 new", n)
			}
		})
	}
}

// consumeGroup runs one group session until want messages arrived, marks
// each and leaves, which commits what was marked; it returns how many
// messages the session saw (more than want: committed messages came again).
//
// Committing after every message would cost max.wait (500 ms) each: the
// commit queues behind the consumer's long-polling fetch on the same
// connection, which Kafka, too, answers in order.
func consumeGroup(t *testing.T, addr string, cfg *sarama.Config, group, topic string, want int) int {
	t.Helper()
	g, err := sarama.NewConsumerGroup([]string{addr}, group, cfg)
	if err != nil {
		t.Fatalf("consumer group: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), saramaWait)
	defer cancel()
	h := &groupHandler{want: want, done: cancel}
	go func() {
		for err := range g.Errors() {
			h.fail(err)
		}
	}()
	for ctx.Err() == nil {
		if err := g.Consume(ctx, []string{topic}, h); err != nil && !errors.Is(err, sarama.ErrClosedConsumerGroup) {
			h.fail(err)
			break
		}
	}
	if err := g.Close(); err != nil {
		t.Fatalf("close consumer group: %v", err)
	}
	if err := h.failure(); err != nil {
		t.Fatalf("consumer group: %v", err)
	}
	if h.count() < want {
		t.Fatalf("consumer group: %d of %d messages within %v", h.count(), want, saramaWait)
	}
	return h.count()
}

// groupHandler counts and marks messages.
type groupHandler struct {
	want int
	done context.CancelFunc

	mu   sync.Mutex
	seen int
	err  error
}

func (h *groupHandler) Setup(sarama.ConsumerGroupSession) error   { return nil }
func (h *groupHandler) Cleanup(sarama.ConsumerGroupSession) error { return nil }

func (h *groupHandler) ConsumeClaim(s sarama.ConsumerGroupSession, c sarama.ConsumerGroupClaim) error {
	for m := range c.Messages() {
		s.MarkMessage(m, "")
		h.mu.Lock()
		h.seen++
		if h.seen >= h.want {
			h.done()
		}
		h.mu.Unlock()
	}
	return nil
}

func (h *groupHandler) fail(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err == nil {
		h.err = err
	}
	h.done()
}

func (h *groupHandler) failure() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err
}

func (h *groupHandler) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seen
}

// TestSaramaDownconversionDisabled: message.downconversion.enable=false
// refuses a 0.10 consumer's Fetch v2 with UNSUPPORTED_VERSION, as Kafka,
// while the default version (record batches) still reads the topic.
func TestSaramaDownconversionDisabled(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	createTopic(t, b.Admin(), "no-downconversion", 1, map[string]*string{"message.downconversion.enable": strPtr("false")})
	saramaProduce(t, b.Addr, saramaConfig(sarama.DefaultVersion), saramaMessages("no-downconversion", 5))
	saramaConsume(t, b.Addr, saramaConfig(sarama.DefaultVersion), "no-downconversion", 0, sarama.OffsetOldest, 5)

	c, err := sarama.NewConsumer([]string{b.Addr}, saramaConfig(sarama.V0_10_0_0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pc, err := c.ConsumePartition("no-downconversion", 0, sarama.OffsetOldest)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	select {
	case m := <-pc.Messages():
		t.Fatalf("message at offset %d through a disabled down-conversion", m.Offset)
	case err := <-pc.Errors():
		if !errors.Is(err, sarama.ErrUnsupportedVersion) {
			t.Fatalf("consumer error %v, want UNSUPPORTED_VERSION", err)
		}
	case <-time.After(saramaWait):
		t.Fatalf("no error within %v", saramaWait)
	}
}
