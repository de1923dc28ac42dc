package handler_test

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/partitionlog"
)

func TestProduceErrorCodes(t *testing.T) {
	corrupt := batch(1000, "a", "b")
	corrupt[len(corrupt)-1] ^= 0xFF // payload no longer matches the CRC
	tests := []struct {
		name      string
		setup     func(f *fixture)
		req       *kmsg.ProduceRequest
		code      int16
		wantLEO   int64 // log end offset of t-0 afterwards, when the topic exists
		wantBase  int64
		wantError bool // error_message set (v8+)
	}{
		{name: "acks=1 appends", req: produceReq(1, "t", 0, batch(1000, "a", "b")), wantLEO: 2},
		{name: "acks=-1 on a single replica completes", req: produceReq(-1, "t", 0, batch(1000, "a")), wantLEO: 1},
		{name: "unknown topic", req: produceReq(1, "nope", 0, batch(1000, "a")), code: kerr.UnknownTopicOrPartition.Code, wantBase: -1},
		{name: "partition beyond the topic", req: produceReq(1, "t", 7, batch(1000, "a")), code: kerr.UnknownTopicOrPartition.Code, wantBase: -1},
		{name: "partition led elsewhere, replica here",
			setup: func(f *fixture) { f.topic("follower", part{leader: 2, replicas: []int32{2, self}}) },
			req:   produceReq(1, "follower", 0, batch(1000, "a")), code: kerr.NotLeaderForPartition.Code, wantBase: -1},
		{name: "partition hosted on other brokers only",
			setup: func(f *fixture) { f.topic("remote", part{leader: 2, replicas: []int32{2, 3}}) },
			req:   produceReq(1, "remote", 0, batch(1000, "a")), code: kerr.NotLeaderForPartition.Code, wantBase: -1},
		{name: "internal topic",
			setup: func(f *fixture) { f.topic("__consumer_offsets", ledHere(1)...) },
			req:   produceReq(1, "__consumer_offsets", 0, batch(1000, "a")), code: kerr.InvalidTopicException.Code, wantBase: -1},
		{name: "invalid required acks", req: produceReq(2, "t", 0, batch(1000, "a")), code: kerr.InvalidRequiredAcks.Code, wantBase: -1},
		{name: "corrupt CRC", req: produceReq(1, "t", 0, corrupt), code: kerr.CorruptMessage.Code, wantBase: -1, wantError: true},
		// Kafka's ProduceRequest.validateRecords: from v3 only magic 2.
		{name: "magic 1 batch", req: produceReq(1, "t", 0, withMagic(batch(1000, "a"), 1)), code: kerr.InvalidRecord.Code, wantBase: -1, wantError: true},
		// A magic Kafka never defined fails its batch reader: CORRUPT_MESSAGE.
		{name: "magic 3 batch", req: produceReq(1, "t", 0, withMagic(batch(1000, "a"), 3)), code: kerr.CorruptMessage.Code, wantBase: -1, wantError: true},
		{name: "batch over max.message.bytes",
			setup: func(f *fixture) {
				f.logCfg.set("small", func(c *partitionlog.Config) { c.MaxMessageBytes = 100 })
				f.topic("small", ledHere(1)...)
			},
			req: produceReq(1, "small", 0, batch(1000, string(make([]byte, 200)))), code: kerr.MessageTooLarge.Code, wantBase: -1, wantError: true},
		{name: "acks=-1 with ISR below min.insync.replicas",
			setup: func(f *fixture) {
				f.configs.setMinInsync("t", 2)
				f.topic("t", part{leader: self, replicas: []int32{self, 2}, isr: []int32{self}})
			},
			req: produceReq(-1, "t", 0, batch(1000, "a")), code: kerr.NotEnoughReplicas.Code, wantBase: -1, wantError: true},
		{name: "acks=1 ignores min.insync.replicas",
			setup: func(f *fixture) {
				f.configs.setMinInsync("t", 2)
				f.topic("t", part{leader: self, replicas: []int32{self, 2}, isr: []int32{self}})
			},
			req: produceReq(1, "t", 0, batch(1000, "a")), wantLEO: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", ledHere(1)...)
			if tc.setup != nil {
				tc.setup(f)
			}
			resp := f.call(tc.req).(*kmsg.ProduceResponse)
			p := resp.Topics[0].Partitions[0]
			if p.ErrorCode != tc.code {
				t.Fatalf("error code %d (%v), want %d", p.ErrorCode, kerr.ErrorForCode(p.ErrorCode), tc.code)
			}
			if p.BaseOffset != tc.wantBase {
				t.Errorf("base offset %d, want %d", p.BaseOffset, tc.wantBase)
			}
			if (p.ErrorMessage != nil) != tc.wantError {
				t.Errorf("error message %v, want set=%v", p.ErrorMessage, tc.wantError)
			}
			if part, ok := f.replicas.Get("t", 0); ok {
				if _, _, leo := part.Offsets(); leo != tc.wantLEO {
					t.Errorf("t-0 log end offset %d, want %d", leo, tc.wantLEO)
				}
			}
		})
	}
}

func TestProduceOffsetsAndLogStart(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	for i, want := range []int64{0, 3, 4} {
		n := []int{3, 1, 2}[i]
		vals := make([]string, n)
		resp := f.call(produceReq(1, "t", 0, batch(1000, vals...))).(*kmsg.ProduceResponse)
		p := resp.Topics[0].Partitions[0]
		if p.ErrorCode != 0 || p.BaseOffset != want || p.LogStartOffset != 0 || p.LogAppendTime != -1 {
			t.Fatalf("produce %d: %+v, want base offset %d, log start 0, log append time -1", i, p, want)
		}
	}
}

func TestProduceLogAppendTime(t *testing.T) {
	f := newFixture(t)
	f.logCfg.set("lat", func(c *partitionlog.Config) { c.TimestampType = partitionlog.LogAppendTime })
	f.topic("lat", ledHere(1)...)
	before := time.Now().UnixMilli()
	resp := f.call(produceReq(1, "lat", 0, batch(1000, "a"))).(*kmsg.ProduceResponse)
	after := time.Now().UnixMilli()
	p := resp.Topics[0].Partitions[0]
	if p.ErrorCode != 0 || p.LogAppendTime < before || p.LogAppendTime > after {
		t.Fatalf("log append time %d (error %d), want within [%d, %d]", p.LogAppendTime, p.ErrorCode, before, after)
	}
}

func TestProduceAcksZero(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	out, err := f.send(produceReq(0, "t", 0, batch(1000, "a", "b")))
	if err != nil || out == nil || out.Msg != nil {
		t.Fatalf("acks=0 produce: response %+v, error %v; want no response and no error", out, err)
	}
	if leo := mustLog(f, "t", 0).LogEndOffset(); leo != 2 {
		t.Fatalf("acks=0 records not appended: log end %d", leo)
	}
	// A failed acks=0 produce closes the connection, as Kafka does, since the
	// producer reads no response that could tell it.
	if _, err := f.send(produceReq(0, "nope", 0, batch(1000, "a"))); err == nil {
		t.Fatal("acks=0 produce to an unknown topic: no error, want the connection closed")
	}
}

// TestProduceAcksAllWaitsForFollower: an acks=all produce completes only when
// the follower in the ISR has fetched past the appended records.
func TestProduceAcksAllWaitsForFollower(t *testing.T) {
	f := newFixture(t)
	f.topic("t", part{leader: self, replicas: []int32{self, 2}})
	out, err := f.send(produceReq(-1, "t", 0, batch(1000, "a", "b")))
	if err != nil {
		t.Fatal(err)
	}
	if isReady(out) {
		t.Fatal("acks=all response ready before the follower fetched")
	}
	f.call(followerFetch(2, "t", 0, 1)) // not yet past offset 1
	if isReady(out) {
		t.Fatal("acks=all response ready before the follower reached the log end")
	}
	f.call(followerFetch(2, "t", 0, 2))
	resp := f.settle(produceReq(-1, "t", 0, nil), out).(*kmsg.ProduceResponse)
	if p := resp.Topics[0].Partitions[0]; p.ErrorCode != 0 || p.BaseOffset != 0 {
		t.Fatalf("acks=all response %+v, want success at offset 0", p)
	}
}

// TestProduceAcksAllAnsweredAtOnceWithoutFollowers: an acks=all produce
// to a partition whose ISR is the leader alone is committed by its append,
// so the response is complete when the handler returns, with no wait
// behind it.
func TestProduceAcksAllAnsweredAtOnceWithoutFollowers(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	out, err := f.send(produceReq(-1, "t", 0, batch(1000, "a", "b")))
	if err != nil {
		t.Fatal(err)
	}
	if out.Ready != nil || out.Msg == nil {
		t.Fatalf("response pending (Ready %v, Msg %v), want it complete", out.Ready, out.Msg)
	}
	resp := f.settle(produceReq(-1, "t", 0, nil), out).(*kmsg.ProduceResponse)
	if p := resp.Topics[0].Partitions[0]; p.ErrorCode != 0 || p.BaseOffset != 0 {
		t.Fatalf("acks=all response %+v, want success at offset 0", p)
	}
}

func TestProduceAcksAllEndings(t *testing.T) {
	tests := []struct {
		name    string
		timeout int32
		after   func(f *fixture)
		code    int16
	}{
		{name: "timeout", timeout: 1, code: kerr.RequestTimedOut.Code},
		{name: "ISR shrinks below min.insync.replicas", timeout: 60_000, code: kerr.NotEnoughReplicasAfterAppend.Code,
			after: func(f *fixture) { f.topic("t", part{leader: self, replicas: []int32{self, 2}, isr: []int32{self}}) }},
		{name: "leadership moves", timeout: 60_000, code: kerr.NotLeaderForPartition.Code,
			after: func(f *fixture) { f.topic("t", part{leader: 2, epoch: 1, replicas: []int32{self, 2}}) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.configs.setMinInsync("t", 2)
			f.topic("t", part{leader: self, replicas: []int32{self, 2}})
			req := produceReq(-1, "t", 0, batch(1000, "a"))
			req.TimeoutMillis = tc.timeout
			out, err := f.send(req)
			if err != nil {
				t.Fatal(err)
			}
			if tc.after != nil {
				tc.after(f)
			}
			resp := f.settle(req, out).(*kmsg.ProduceResponse)
			if got := resp.Topics[0].Partitions[0].ErrorCode; got != tc.code {
				t.Fatalf("error code %d, want %d", got, tc.code)
			}
		})
	}
}

// TestProduceManyPartitions: one request, partitions with different fates,
// answered in request order.
func TestProduceManyPartitions(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(2)...)
	req := produceReq(1, "t", 0, batch(1000, "a"))
	for _, p := range []int32{1, 5} {
		rp := kmsg.NewProduceRequestTopicPartition()
		rp.Partition, rp.Records = p, batch(1000, "b")
		req.Topics[0].Partitions = append(req.Topics[0].Partitions, rp)
	}
	resp := f.call(req).(*kmsg.ProduceResponse)
	want := []struct {
		partition int32
		code      int16
	}{{0, 0}, {1, 0}, {5, kerr.UnknownTopicOrPartition.Code}}
	for i, w := range want {
		p := resp.Topics[0].Partitions[i]
		if p.Partition != w.partition || p.ErrorCode != w.code {
			t.Errorf("partition %d: %d code %d, want %d code %d", i, p.Partition, p.ErrorCode, w.partition, w.code)
		}
	}
}

// withMagic returns the batch with its magic byte set, its CRC (which
// covers only what follows the magic) still valid.
func withMagic(b []byte, magic byte) []byte {
	b[16] = magic
	return b
}
