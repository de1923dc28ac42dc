package handler_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestFetchLongPollCompletesWhenDataArrives: a fetch with nothing to read
// waits, and a produce ends the wait long before max_wait_ms.
func TestFetchLongPollCompletesWhenDataArrives(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	req := fetchReq(int32(time.Hour.Milliseconds()), 1, 1<<20, fetchPart{topic: "t"})
	out, err := f.send(req)
	if err != nil {
		t.Fatal(err)
	}
	if isReady(out) {
		t.Fatal("fetch on an empty partition answered at once, want a long poll")
	}
	f.produce("t", 0, batch(1000, "a"))
	resp := f.settle(req, out).(*kmsg.FetchResponse) // within testTimeout, far below the hour
	p := resp.Topics[0].Partitions[0]
	if p.ErrorCode != 0 || p.HighWatermark != 1 || len(p.RecordBatches) == 0 {
		t.Fatalf("partition %+v, want records up to high watermark 1", p)
	}
}

// TestFetchLongPollEndsAtMaxWait: without enough data, the answer comes at
// max_wait_ms with what there is.
func TestFetchLongPollEndsAtMaxWait(t *testing.T) {
	tests := []struct {
		name     string
		minBytes int32
		records  int
	}{
		{name: "no data", minBytes: 1},
		{name: "less than min_bytes", minBytes: 1 << 20, records: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", ledHere(1)...)
			for range tc.records {
				f.produce("t", 0, batch(1000, "a"))
			}
			const maxWait = 50 * time.Millisecond
			req := fetchReq(int32(maxWait.Milliseconds()), tc.minBytes, 1<<20, fetchPart{topic: "t"})
			start := time.Now()
			resp := f.call(req).(*kmsg.FetchResponse)
			if elapsed := time.Since(start); elapsed < maxWait {
				t.Errorf("answered after %v, before max_wait %v", elapsed, maxWait)
			}
			p := resp.Topics[0].Partitions[0]
			if p.ErrorCode != 0 || p.HighWatermark != int64(tc.records) || (len(p.RecordBatches) > 0) != (tc.records > 0) {
				t.Fatalf("partition %+v, want %d records", p, tc.records)
			}
		})
	}
}

func TestFetchMaxWaitZeroAnswersAtOnce(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	out, err := f.send(fetchReq(0, 1, 1<<20, fetchPart{topic: "t"}))
	if err != nil || !isReady(out) {
		t.Fatalf("max_wait 0: ready=%v err=%v, want an immediate answer", out != nil && isReady(out), err)
	}
}

func TestFetchPartitionErrors(t *testing.T) {
	tests := []struct {
		name     string
		part     fetchPart
		setup    func(f *fixture)
		code     int16
		hw       int64
		logStart int64
	}{
		{name: "offset past the log end", part: fetchPart{topic: "t", offset: 100}, code: kerr.OffsetOutOfRange.Code, hw: 3},
		{name: "offset before the log start", part: fetchPart{topic: "t", offset: 0}, code: kerr.OffsetOutOfRange.Code, hw: 3, logStart: 2,
			setup: func(f *fixture) {
				if err := mustLog(f, "t", 0).AdvanceLogStartOffset(2); err != nil {
					f.t.Fatal(err)
				}
			}},
		{name: "offset between high watermark and log end is empty, not out of range", part: fetchPart{topic: "r", offset: 1, epoch: -1}, hw: 0,
			setup: func(f *fixture) {
				f.topic("r", part{leader: self, replicas: []int32{self, 2}})
				f.produce("r", 0, batch(1000, "a", "b"))
			}},
		{name: "older leader epoch", part: fetchPart{topic: "t", epoch: 4}, code: kerr.FencedLeaderEpoch.Code, hw: -1, logStart: -1},
		{name: "newer leader epoch", part: fetchPart{topic: "t", epoch: 6}, code: kerr.UnknownLeaderEpoch.Code, hw: -1, logStart: -1},
		{name: "no leader epoch", part: fetchPart{topic: "t", epoch: -1}, hw: 3},
		{name: "unknown topic", part: fetchPart{topic: "nope", epoch: -1}, code: kerr.UnknownTopicOrPartition.Code, hw: -1, logStart: -1},
		{name: "unknown partition", part: fetchPart{topic: "t", partition: 3, epoch: -1}, code: kerr.UnknownTopicOrPartition.Code, hw: -1, logStart: -1},
		{name: "follower here", part: fetchPart{topic: "f", epoch: -1}, code: kerr.NotLeaderForPartition.Code, hw: -1, logStart: -1,
			setup: func(f *fixture) { f.topic("f", part{leader: 2, replicas: []int32{2, self}}) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", part{leader: self, epoch: 5, replicas: []int32{self}})
			f.produce("t", 0, batch(1000, "a", "b", "c"))
			if tc.setup != nil {
				tc.setup(f)
			}
			if tc.part.epoch == 0 {
				tc.part.epoch = 5
			}
			resp := f.call(fetchReq(0, 1, 1<<20, tc.part)).(*kmsg.FetchResponse)
			p := resp.Topics[0].Partitions[0]
			if p.ErrorCode != tc.code || p.HighWatermark != tc.hw || p.LogStartOffset != tc.logStart {
				t.Fatalf("code %d hw %d log start %d, want code %d hw %d log start %d",
					p.ErrorCode, p.HighWatermark, p.LogStartOffset, tc.code, tc.hw, tc.logStart)
			}
			if tc.code != 0 && len(p.RecordBatches) != 0 {
				t.Errorf("error partition carries %d record bytes", len(p.RecordBatches))
			}
			if p.PreferredReadReplica != -1 {
				t.Errorf("preferred read replica %d, want -1", p.PreferredReadReplica)
			}
		})
	}
}

func TestFetchByTopicID(t *testing.T) {
	f := newFixture(t)
	id := f.topic("t", ledHere(1)...)
	f.produce("t", 0, batch(1000, "a"))
	tests := []struct {
		name string
		id   [16]byte
		code int16
	}{
		{name: "known id", id: id},
		{name: "unknown id", id: [16]byte{0xEE}, code: kerr.UnknownTopicID.Code},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := fetchReq(0, 1, 1<<20, fetchPart{topicID: tc.id})
			req.Version = 13
			resp := f.call(req).(*kmsg.FetchResponse)
			rt := resp.Topics[0]
			if rt.TopicID != tc.id || rt.Partitions[0].ErrorCode != tc.code {
				t.Fatalf("topic id %x code %d, want %x code %d", rt.TopicID, rt.Partitions[0].ErrorCode, tc.id, tc.code)
			}
			if tc.code == 0 && rt.Partitions[0].HighWatermark != 1 {
				t.Fatalf("high watermark %d, want 1", rt.Partitions[0].HighWatermark)
			}
		})
	}
}

// TestFetchByTopicIDBeforeMetadata: the controller sends LeaderAndIsr
// before UpdateMetadata, so a follower may fetch a new topic by id before
// the leader's metadata cache has it. The leader serves it from the
// partition LeaderAndIsr created (otherwise UNKNOWN_TOPIC_ID backs the
// follower off for replica.fetch.backoff.ms and acks=all produces to the
// new topic wait that long); a consumer still needs the metadata, as in
// Kafka.
func TestFetchByTopicIDBeforeMetadata(t *testing.T) {
	tests := []struct {
		name      string
		replicaID int32
		code      int16
	}{
		{name: "follower", replicaID: 2},
		{name: "consumer", replicaID: -1, code: kerr.UnknownTopicID.Code},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			id := f.topicID("t")
			parts := []part{{leader: self, replicas: []int32{self, 2}}}
			resp := f.call(f.leaderAndIsr(kmsg.LeaderAndISRRequestTopicState{Topic: "t", TopicID: id,
				PartitionStates: f.leaderAndIsrStates(parts)})).(*kmsg.LeaderAndISRResponse)
			if code := resp.Topics[0].Partitions[0].ErrorCode; code != 0 {
				t.Fatalf("LeaderAndIsr: error %d", code)
			}
			f.produce("t", 0, batch(1000, "a"))
			req := fetchReq(0, 1, 1<<20, fetchPart{topicID: id, epoch: -1})
			req.Version, req.ReplicaID = 13, tc.replicaID
			p := f.call(req).(*kmsg.FetchResponse).Topics[0].Partitions[0]
			if p.ErrorCode != tc.code {
				t.Fatalf("code %d, want %d", p.ErrorCode, tc.code)
			}
			if tc.code == 0 && len(p.RecordBatches) == 0 {
				t.Fatal("the follower got no records")
			}
		})
	}
}

// TestFetchHighWatermarkBoundsConsumers: consumers read only what the ISR
// has; a follower's fetch moves the high watermark and wakes them.
func TestFetchHighWatermarkBoundsConsumers(t *testing.T) {
	f := newFixture(t)
	f.topic("t", part{leader: self, replicas: []int32{self, 2}})
	f.produce("t", 0, batch(1000, "a", "b"))
	req := fetchReq(int32(time.Hour.Milliseconds()), 1, 1<<20, fetchPart{topic: "t"})
	out, err := f.send(req)
	if err != nil {
		t.Fatal(err)
	}
	if isReady(out) {
		t.Fatal("consumer fetch answered with nothing committed, want a long poll")
	}
	follower := f.call(followerFetch(2, "t", 0, 0)).(*kmsg.FetchResponse)
	if p := follower.Topics[0].Partitions[0]; p.ErrorCode != 0 || len(p.RecordBatches) == 0 {
		t.Fatalf("follower fetch %+v, want the uncommitted records", p)
	}
	f.call(followerFetch(2, "t", 0, 2))
	resp := f.settle(req, out).(*kmsg.FetchResponse)
	if p := resp.Topics[0].Partitions[0]; p.HighWatermark != 2 || len(p.RecordBatches) == 0 {
		t.Fatalf("consumer fetch %+v, want records up to high watermark 2", p)
	}
}

// TestFetchReturnsProducedBatches reads the file regions through a real
// server and checks they decode to exactly what was produced.
func TestFetchReturnsProducedBatches(t *testing.T) {
	f := newFixture(t)
	f.topic("t", part{leader: self, epoch: 3, replicas: []int32{self}})
	f.produce("t", 0, batch(1000, "a", "b"))
	f.produce("t", 0, batch(2000, "c"))
	conn := f.dial()
	tests := []struct {
		offset int64
		want   []fetched
	}{
		{offset: 0, want: []fetched{{0, "a", 3}, {1, "b", 3}, {2, "c", 3}}},
		// Inside a batch: the whole batch comes back; clients skip the head.
		{offset: 1, want: []fetched{{0, "a", 3}, {1, "b", 3}, {2, "c", 3}}},
		{offset: 2, want: []fetched{{2, "c", 3}}},
		{offset: 3},
	}
	for _, tc := range tests {
		resp := conn.call(fetchReq(0, 1, 1<<20, fetchPart{topic: "t", offset: tc.offset, epoch: 3})).(*kmsg.FetchResponse)
		p := resp.Topics[0].Partitions[0]
		if p.ErrorCode != 0 {
			t.Fatalf("offset %d: error %d", tc.offset, p.ErrorCode)
		}
		if got := decodeRecords(t, p.RecordBatches); !slices.Equal(got, tc.want) {
			t.Errorf("offset %d: records %+v, want %+v", tc.offset, got, tc.want)
		}
	}
}

// TestFetchByteLimits checks max_bytes and partition_max_bytes on the wire:
// whole batches only, and the first batch of the response whole even when it
// alone is over the limits, so a consumer always progresses.
func TestFetchByteLimits(t *testing.T) {
	value := strings.Repeat("x", 100)
	size := int32(len(batch(1000, value)))
	tests := []struct {
		name     string
		maxBytes int32
		partMax  int32
		want     [2][]string // values from partitions 0 and 1
	}{
		{name: "room for all", maxBytes: 10 * size, partMax: 10 * size,
			want: [2][]string{{"p0-0", "p0-1"}, {"p1-0", "p1-1"}}},
		{name: "max_bytes cuts at a batch boundary", maxBytes: size + size/2, partMax: 10 * size,
			want: [2][]string{{"p0-0"}, nil}},
		{name: "partition max bytes per partition", maxBytes: 10 * size, partMax: size + size/2,
			want: [2][]string{{"p0-0"}, {"p1-0"}}},
		{name: "first batch whole over max_bytes", maxBytes: 10, partMax: 10 * size,
			want: [2][]string{{"p0-0"}, nil}},
		{name: "first batch whole over partition max bytes only in the first partition", maxBytes: 10 * size, partMax: 10,
			want: [2][]string{{"p0-0"}, nil}},
	}
	f := newFixture(t)
	f.topic("t", ledHere(2)...)
	for p := range int32(2) {
		for i := range 2 {
			f.produce("t", p, batch(1000, tagged(value, p, i)))
		}
	}
	conn := f.dial()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := fetchReq(0, 1, tc.maxBytes,
				fetchPart{topic: "t", partition: 0, maxBytes: tc.partMax}, fetchPart{topic: "t", partition: 1, maxBytes: tc.partMax})
			resp := conn.call(req).(*kmsg.FetchResponse)
			for i, p := range resp.Topics[0].Partitions {
				got := trimTags(values(decodeRecords(t, p.RecordBatches)))
				if p.ErrorCode != 0 || !slices.Equal(got, tc.want[i]) {
					t.Errorf("partition %d: code %d values %v, want %v", i, p.ErrorCode, got, tc.want[i])
				}
			}
		})
	}
}

// tagged prefixes a value with its partition and index, "p1-0:xxx...".
func tagged(value string, partition int32, i int) string {
	return "p" + string(rune('0'+partition)) + "-" + string(rune('0'+i)) + ":" + value
}

func trimTags(vs []string) []string {
	if len(vs) == 0 {
		return nil
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i], _, _ = strings.Cut(v, ":")
	}
	return out
}

// TestFetchDivergingEpoch over a log written in epoch 0 (offsets 0-2) and
// epoch 2 (offsets 3-4): a fetcher whose last epoch ended earlier here is
// told where to truncate, at once, instead of getting records.
func TestFetchDivergingEpoch(t *testing.T) {
	tests := []struct {
		name      string
		version   int16
		offset    int64
		lastEpoch int32
		code      int16
		diverging kmsg.FetchResponseTopicPartitionDivergingEpoch // -1/-1: none
		records   bool
	}{
		{name: "consistent", version: 12, offset: 3, lastEpoch: 0, diverging: noDivergence(), records: true},
		{name: "epoch ended before the offset", version: 12, offset: 4, lastEpoch: 0,
			diverging: kmsg.FetchResponseTopicPartitionDivergingEpoch{Epoch: 0, EndOffset: 3}},
		{name: "epoch this log never had", version: 12, offset: 3, lastEpoch: 1,
			diverging: kmsg.FetchResponseTopicPartitionDivergingEpoch{Epoch: 0, EndOffset: 3}},
		{name: "epoch above the log's", version: 12, offset: 3, lastEpoch: 9, code: kerr.OffsetOutOfRange.Code, diverging: noDivergence()},
		{name: "no last epoch", version: 12, offset: 4, lastEpoch: -1, diverging: noDivergence(), records: true},
		{name: "v11 has no last epoch", version: 11, offset: 4, lastEpoch: 0, diverging: noDivergence(), records: true},
	}
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	f.produce("t", 0, batch(1000, "a", "b", "c"))
	f.topic("t", part{leader: self, epoch: 2, replicas: []int32{self}})
	f.produce("t", 0, batch(1000, "d", "e"))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := fetchReq(int32(time.Hour.Milliseconds()), 1, 1<<20, fetchPart{topic: "t", offset: tc.offset, epoch: -1})
			req.Version = tc.version
			req.Topics[0].Partitions[0].LastFetchedEpoch = tc.lastEpoch
			p := f.call(req).(*kmsg.FetchResponse).Topics[0].Partitions[0]
			if p.ErrorCode != tc.code || p.DivergingEpoch.Epoch != tc.diverging.Epoch || p.DivergingEpoch.EndOffset != tc.diverging.EndOffset {
				t.Fatalf("code %d diverging %+v, want code %d diverging %+v", p.ErrorCode, p.DivergingEpoch, tc.code, tc.diverging)
			}
			if got := len(p.RecordBatches) > 0; got != tc.records {
				t.Fatalf("records %v, want %v", got, tc.records)
			}
			if p.HighWatermark != 5 {
				t.Errorf("high watermark %d, want 5", p.HighWatermark)
			}
		})
	}
}

func noDivergence() kmsg.FetchResponseTopicPartitionDivergingEpoch {
	return kmsg.FetchResponseTopicPartitionDivergingEpoch{Epoch: -1, EndOffset: -1}
}
