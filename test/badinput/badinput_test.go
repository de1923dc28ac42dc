package badinput

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/test/harness"
)

// keepTopic holds the records every case must leave intact.
const keepTopic = "keep"

// broker is a running kq server with auto-create off and known records.
type broker struct {
	*harness.Broker
	written []*kgo.Record
}

func startBroker(t *testing.T) *broker {
	t.Helper()
	b := &broker{Broker: harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"auto.create.topics.enable": "false"}})}
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	if resp, err := b.Admin().CreateTopic(ctx, 2, 1, nil, keepTopic); err != nil || resp.Err != nil {
		t.Fatalf("create %s: %v %v", keepTopic, err, resp.Err)
	}
	for i := range 20 {
		b.written = append(b.written, &kgo.Record{Topic: keepTopic, Key: fmt.Appendf(nil, "k%d", i%5), Value: fmt.Appendf(nil, "value-%02d", i)})
	}
	if err := b.Client().ProduceSync(ctx, b.written...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
	return b
}

// checkHealthy proves the broker still serves a new connection and still
// holds exactly the records written at the start.
func (b *broker) checkHealthy(t *testing.T) {
	t.Helper()
	c := dial(t, b.Addr)
	req := kmsg.NewPtrApiVersionsRequest()
	req.Version, req.ClientSoftwareName, req.ClientSoftwareVersion = 3, "badinput", "1.0"
	if resp := c.call(req).(*kmsg.ApiVersionsResponse); resp.ErrorCode != 0 || len(resp.ApiKeys) == 0 {
		t.Fatalf("ApiVersions on a new connection: code %d with %d keys", resp.ErrorCode, len(resp.ApiKeys))
	}
	got := b.consumeAll(t)
	if len(got) != len(b.written) {
		t.Fatalf("read back %d records, want %d", len(got), len(b.written))
	}
	for _, w := range b.written {
		r, ok := got[fmt.Sprintf("%d/%d", w.Partition, w.Offset)]
		if !ok || !bytes.Equal(r.Key, w.Key) || !bytes.Equal(r.Value, w.Value) {
			t.Fatalf("record %d/%d: got %v, want key %s value %s", w.Partition, w.Offset, r, w.Key, w.Value)
		}
	}
}

// consumeAll reads keepTopic from the start to its end, by partition/offset.
func (b *broker) consumeAll(t *testing.T) map[string]*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr), kgo.ConsumeTopics(keepTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	ends := b.endOffsets(t, cl)
	got := map[string]*kgo.Record{}
	for !reachedEnds(got, ends) {
		fetches := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consume %s: %v after %d records", keepTopic, err, len(got))
		}
		fetches.EachError(func(topic string, p int32, err error) { t.Fatalf("consume %s-%d: %v", topic, p, err) })
		fetches.EachRecord(func(r *kgo.Record) { got[fmt.Sprintf("%d/%d", r.Partition, r.Offset)] = r })
	}
	return got
}

// endOffsets lists keepTopic's high watermarks, which must not have moved.
func (b *broker) endOffsets(t *testing.T, cl *kgo.Client) map[int32]int64 {
	t.Helper()
	want := map[int32]int64{}
	for _, w := range b.written {
		want[w.Partition] = max(want[w.Partition], w.Offset+1)
	}
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = -1
	rt := kmsg.NewListOffsetsRequestTopic()
	rt.Topic = keepTopic
	for p := range int32(2) {
		rp := kmsg.NewListOffsetsRequestTopicPartition()
		rp.Partition, rp.Timestamp = p, -1
		rt.Partitions = append(rt.Partitions, rp)
	}
	req.Topics = []kmsg.ListOffsetsRequestTopic{rt}
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		t.Fatalf("list offsets: %v", err)
	}
	for _, p := range resp.Topics[0].Partitions {
		if p.ErrorCode != 0 || p.Offset != want[p.Partition] {
			t.Fatalf("%s-%d: end offset %d (error %d), want %d", keepTopic, p.Partition, p.Offset, p.ErrorCode, want[p.Partition])
		}
	}
	return want
}

func reachedEnds(got map[string]*kgo.Record, ends map[int32]int64) bool {
	for p, end := range ends {
		if end > 0 {
			if _, ok := got[fmt.Sprintf("%d/%d", p, end-1)]; !ok {
				return false
			}
		}
	}
	return true
}

// frame is a size prefix followed by body.
func frame(size uint32, body ...byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, size), body...)
}

// header is request header v1 (key, version, correlation id, client id).
func header(key, version int16) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(key))
	b = binary.BigEndian.AppendUint16(b, uint16(version))
	b = binary.BigEndian.AppendUint32(b, 1)
	return append(b, 0, 1, 'x')
}

func TestBadInput(t *testing.T) {
	b := startBroker(t)
	tests := []struct {
		name string
		run  func(t *testing.T, c *rawConn)
	}{
		{name: "HTTP instead of Kafka", run: func(t *testing.T, c *rawConn) {
			c.write([]byte("GET / HTTP/1.1\r\nHost: kq\r\n\r\n")) // "GET " reads as a 1.2 GB size
			c.expectClosed()
		}},
		{name: "garbage body under a produce header", run: func(t *testing.T, c *rawConn) {
			body := append(header(0, 9), bytes.Repeat([]byte{0xFF}, 40)...)
			c.write(frame(uint32(len(body)), body...))
			c.expectClosed()
		}},
		{name: "garbage body under a metadata header", run: func(t *testing.T, c *rawConn) {
			body := append(header(3, 12), 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F) // header tags, then a 4-billion-entry array
			c.write(frame(uint32(len(body)), body...))
			c.expectClosed()
		}},
		{name: "truncated frame, then the client goes", run: func(t *testing.T, c *rawConn) {
			c.write(frame(100, header(18, 3)...))
			c.halfClose()
			c.expectClosed()
		}},
		{name: "truncated frame left hanging", run: func(t *testing.T, c *rawConn) {
			c.write(frame(100, header(18, 3)...))
			b.checkHealthy(t) // while this connection waits for the rest
		}},
		{name: "frame ending inside the header", run: func(t *testing.T, c *rawConn) {
			c.write(frame(3, 0, 18, 0))
			c.expectClosed()
		}},
		{name: "empty frame", run: func(t *testing.T, c *rawConn) {
			c.write(frame(0))
			c.expectClosed()
		}},
		{name: "2 GiB size prefix", run: func(t *testing.T, c *rawConn) {
			c.write(frame(1 << 31))
			c.expectClosed()
		}},
		{name: "2 GiB - 1 size prefix", run: func(t *testing.T, c *rawConn) {
			c.write(frame(1<<31 - 1))
			c.expectClosed()
		}},
		{name: "unknown API key", run: func(t *testing.T, c *rawConn) {
			c.write(frame(uint32(len(header(32767, 0))), header(32767, 0)...))
			c.expectClosed()
		}},
		{name: "API key kmsg knows but kq does not serve", run: func(t *testing.T, c *rawConn) {
			c.write(frame(uint32(len(header(57, 0))), header(57, 0)...)) // UpdateFeatures, KRaft-only
			c.expectClosed()
		}},
		{name: "Produce above the served versions", run: func(t *testing.T, c *rawConn) {
			req := kmsg.NewPtrProduceRequest() // kq serves v0-11, as Kafka 3.9; kmsg encodes v12
			req.Version, req.Acks, req.TimeoutMillis = 12, 1, 1000
			c.write(c.request(req))
			c.expectClosed()
		}},
		{name: "ApiVersions v99", run: apiVersionsTooNew},
		{name: "batch with a wrong CRC", run: func(t *testing.T, c *rawConn) {
			corrupt := recordBatch("bad-1", "bad-2")
			corrupt[len(corrupt)-1] ^= 0x01
			p := c.call(produceReq(-1, keepTopic, 0, corrupt)).(*kmsg.ProduceResponse).Topics[0].Partitions[0]
			if p.ErrorCode != kerr.CorruptMessage.Code {
				t.Fatalf("produce of a corrupt batch: error %d, want CORRUPT_MESSAGE", p.ErrorCode)
			}
		}},
		{name: "produce to a missing topic, auto-create off", run: func(t *testing.T, c *rawConn) {
			p := c.call(produceReq(1, "missing", 0, recordBatch("x"))).(*kmsg.ProduceResponse).Topics[0].Partitions[0]
			if p.ErrorCode != kerr.UnknownTopicOrPartition.Code {
				t.Fatalf("produce to a missing topic: error %d, want UNKNOWN_TOPIC_OR_PARTITION", p.ErrorCode)
			}
			meta := kmsg.NewPtrMetadataRequest()
			meta.Version, meta.AllowAutoTopicCreation = 12, true
			mt := kmsg.NewMetadataRequestTopic()
			mt.Topic = kmsg.StringPtr("missing")
			meta.Topics = []kmsg.MetadataRequestTopic{mt}
			if code := c.call(meta).(*kmsg.MetadataResponse).Topics[0].ErrorCode; code != kerr.UnknownTopicOrPartition.Code {
				t.Fatalf("metadata for the missing topic: error %d, want UNKNOWN_TOPIC_OR_PARTITION (not created)", code)
			}
		}},
		{name: "forged tag count in a produce body", run: func(t *testing.T, c *rawConn) {
			// kmsg spends seconds counting down the claimed tags (a known
			// issue, see daemon/internal/server's doc); meanwhile the broker
			// must serve everyone else, and then close this connection.
			body := append(header(0, 9), 0) // header tags: none
			body = append(body, forgedProduceBody...)
			c.write(frame(uint32(len(body)), body...))
			b.checkHealthy(t)
			c.expectClosed()
		}},
		{name: "acks=0 produce to a missing topic", run: func(t *testing.T, c *rawConn) {
			c.write(c.request(produceReq(0, "missing", 0, recordBatch("x"))))
			c.expectClosed() // Kafka's only way to tell an acks=0 producer
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, dial(t, b.Addr))
			b.checkHealthy(t)
		})
	}
	if b.Exited() {
		t.Fatal("broker exited")
	}
}

// forgedProduceBody is a Produce v9 body (found by FuzzHandle) whose tag
// sections claim billions of tags.
var forgedProduceBody = []byte("\x00\xff\xff\x00\x00'\x10\x02\x02t\x02\xff\x02Z\x82\"\x05\x00\x00\x00\x00\x00\x00\xeb\xff" +
	"\x00\x00\x00\x00\x03\xe8\x00\x00\x00\x00\x00\x00\x03\xe8\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\x00\x00\x00\x01\x0e\x00\x00\x00\x01\x02x\x00\x00\x00\xff")

// apiVersionsTooNew: an ApiVersions the broker does not serve is answered in
// the v0 form every client can read, with UNSUPPORTED_VERSION and the
// ApiVersions range, and the connection stays usable.
func apiVersionsTooNew(t *testing.T, c *rawConn) {
	c.write(frame(uint32(len(header(18, 99))), header(18, 99)...))
	c.corr = 1                             // header's correlation id
	req := kmsg.NewPtrApiVersionsRequest() // version 0: the form of the answer
	resp := c.read(req, req.ResponseKind()).(*kmsg.ApiVersionsResponse)
	if resp.ErrorCode != kerr.UnsupportedVersion.Code {
		t.Fatalf("ApiVersions v99: error %d, want UNSUPPORTED_VERSION", resp.ErrorCode)
	}
	found := false
	for _, k := range resp.ApiKeys {
		if k.ApiKey == 18 {
			found = k.MinVersion == 0 && k.MaxVersion >= 3
		}
	}
	if !found {
		t.Fatalf("ApiVersions v99 answer lists %+v, want ApiVersions v0-v3+", resp.ApiKeys)
	}
	again := kmsg.NewPtrApiVersionsRequest()
	again.Version, again.ClientSoftwareName, again.ClientSoftwareVersion = 3, "badinput", "1.0"
	if resp := c.call(again).(*kmsg.ApiVersionsResponse); resp.ErrorCode != 0 {
		t.Fatalf("ApiVersions v3 after v99 on the same connection: error %d", resp.ErrorCode)
	}
}

// TestApiVersionsTooNewListsOnlyApiVersions: Kafka (KIP-511) answers an
// unsupported ApiVersions with the ApiVersions range alone.
func TestApiVersionsTooNewListsOnlyApiVersions(t *testing.T) {
	t.Skip("BUG: daemon/internal/server lists every served API in its UNSUPPORTED_VERSION answer; " +
		"Kafka's ApiVersionsRequest.getErrorResponse lists only ApiVersions (key 18)")
	b := startBroker(t)
	c := dial(t, b.Addr)
	c.write(frame(uint32(len(header(18, 99))), header(18, 99)...))
	c.corr = 1
	req := kmsg.NewPtrApiVersionsRequest()
	resp := c.read(req, req.ResponseKind()).(*kmsg.ApiVersionsResponse)
	if len(resp.ApiKeys) != 1 || resp.ApiKeys[0].ApiKey != 18 {
		t.Fatalf("keys %+v, want ApiVersions alone", resp.ApiKeys)
	}
}

func produceReq(acks int16, topic string, partition int32, records []byte) *kmsg.ProduceRequest {
	req := kmsg.NewPtrProduceRequest()
	req.Version, req.Acks, req.TimeoutMillis = 9, acks, int32(ioTimeout.Milliseconds())
	rp := kmsg.NewProduceRequestTopicPartition()
	rp.Partition, rp.Records = partition, records
	rt := kmsg.NewProduceRequestTopic()
	rt.Topic, rt.Partitions = topic, []kmsg.ProduceRequestTopicPartition{rp}
	req.Topics = []kmsg.ProduceRequestTopic{rt}
	return req
}

// recordBatch is a producer's uncompressed v2 batch with a correct CRC.
func recordBatch(values ...string) []byte {
	var recs []byte
	for i, v := range values {
		r := kmsg.Record{OffsetDelta: int32(i), Value: []byte(v)}
		r.Length = int32(len(r.AppendTo(nil)) - 1)
		recs = r.AppendTo(recs)
	}
	n := int32(len(values))
	now := time.Now().UnixMilli()
	b := kmsg.RecordBatch{PartitionLeaderEpoch: -1, Magic: 2, LastOffsetDelta: n - 1, FirstTimestamp: now, MaxTimestamp: now,
		ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1, NumRecords: n, Records: recs}
	out := b.AppendTo(nil)
	binary.BigEndian.PutUint32(out[8:12], uint32(len(out)-12))
	binary.BigEndian.PutUint32(out[17:21], crc32.Checksum(out[21:], crc32.MakeTable(crc32.Castagnoli)))
	return out
}
