package handler_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func TestListOffsets(t *testing.T) {
	type want struct {
		code      int16
		offset    int64
		timestamp int64
		epoch     int32
		old       []int64 // v0 old-style offsets
	}
	tests := []struct {
		name    string
		req     *kmsg.ListOffsetsRequest
		setup   func(f *fixture)
		want    want
		version int16
	}{
		{name: "latest", req: listOffsetsReq(7, "t", 0, -1), want: want{offset: 3, timestamp: -1, epoch: 2}},
		{name: "earliest", req: listOffsetsReq(7, "t", 0, -2), want: want{offset: 0, timestamp: -1, epoch: 2}},
		{name: "max timestamp", req: listOffsetsReq(7, "t", 0, -3), want: want{offset: 2, timestamp: 2001, epoch: 2}},
		{name: "by timestamp between records", req: listOffsetsReq(7, "t", 0, 1500), want: want{offset: 1, timestamp: 2000, epoch: 2}},
		{name: "by exact timestamp", req: listOffsetsReq(7, "t", 0, 1000), want: want{offset: 0, timestamp: 1000, epoch: 2}},
		{name: "by timestamp after every record", req: listOffsetsReq(7, "t", 0, 5000), want: want{offset: -1, timestamp: -1, epoch: -1}},
		{name: "earliest after delete records", req: listOffsetsReq(7, "t", 0, -2), want: want{offset: 2, timestamp: -1, epoch: 2},
			setup: func(f *fixture) {
				if err := mustLog(f, "t", 0).AdvanceLogStartOffset(2); err != nil {
					f.t.Fatal(err)
				}
			}},
		// Kafka answers the CorruptRecordException of a batch that no
		// longer parses with CORRUPT_MESSAGE.
		{name: "corrupt batch met by the timestamp lookup", req: listOffsetsReq(7, "t", 0, 1500),
			want:  want{code: kerr.CorruptMessage.Code, offset: -1, timestamp: -1, epoch: -1},
			setup: corruptFirstBatch},
		{name: "v0 latest", req: listOffsetsReq(0, "t", 0, -1), want: want{old: []int64{3}}},
		{name: "v0 earliest", req: listOffsetsReq(0, "t", 0, -2), want: want{old: []int64{0}}},
		{name: "v0 no match", req: listOffsetsReq(0, "t", 0, 5000), want: want{old: []int64{}}},
		{name: "v1 latest", req: listOffsetsReq(1, "t", 0, -1), want: want{offset: 3, timestamp: -1, epoch: -1}},
		{name: "unknown topic", req: listOffsetsReq(7, "nope", 0, -1), want: want{code: kerr.UnknownTopicOrPartition.Code, offset: -1, timestamp: -1, epoch: -1}},
		{name: "unknown partition", req: listOffsetsReq(7, "t", 4, -1), want: want{code: kerr.UnknownTopicOrPartition.Code, offset: -1, timestamp: -1, epoch: -1}},
		{name: "fenced leader epoch", req: withListEpoch(listOffsetsReq(7, "t", 0, -1), 1),
			want: want{code: kerr.FencedLeaderEpoch.Code, offset: -1, timestamp: -1, epoch: -1}},
		{name: "consumer latest is the high watermark", req: listOffsetsReq(7, "r", 0, -1), want: want{offset: 0, timestamp: -1, epoch: 0},
			setup: replicatedTopic},
		{name: "consumer timestamp lookup stops at the high watermark", req: listOffsetsReq(7, "r", 0, 0), want: want{offset: -1, timestamp: -1, epoch: -1},
			setup: replicatedTopic},
		{name: "replica latest is the log end", req: withReplica(listOffsetsReq(7, "r", 0, -1), 2), want: want{offset: 2, timestamp: -1, epoch: 0},
			setup: replicatedTopic},
		{name: "debug replica latest is the log end", req: withReplica(listOffsetsReq(7, "r", 0, -1), -2), want: want{offset: 2, timestamp: -1, epoch: 0},
			setup: replicatedTopic},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", part{leader: self, epoch: 2, replicas: []int32{self}})
			f.produce("t", 0, batch(1000, "a"))
			f.produce("t", 0, batch(2000, "b", "c"))
			if tc.setup != nil {
				tc.setup(f)
			}
			resp := f.call(tc.req).(*kmsg.ListOffsetsResponse)
			p := resp.Topics[0].Partitions[0]
			w := tc.want
			if tc.req.Version == 0 {
				if p.ErrorCode != w.code || !slices.Equal(p.OldStyleOffsets, w.old) {
					t.Fatalf("v0: code %d offsets %v, want code %d offsets %v", p.ErrorCode, p.OldStyleOffsets, w.code, w.old)
				}
				return
			}
			if p.ErrorCode != w.code || p.Offset != w.offset || p.Timestamp != w.timestamp || p.LeaderEpoch != w.epoch {
				t.Fatalf("code %d offset %d timestamp %d epoch %d, want code %d offset %d timestamp %d epoch %d",
					p.ErrorCode, p.Offset, p.Timestamp, p.LeaderEpoch, w.code, w.offset, w.timestamp, w.epoch)
			}
		})
	}
}

// replicatedTopic makes "r" with a follower that has fetched nothing, and
// two records above the high watermark.
func replicatedTopic(f *fixture) {
	f.topic("r", part{leader: self, replicas: []int32{self, 2}})
	f.produce("r", 0, batch(1000, "a", "b"))
}

func withListEpoch(req *kmsg.ListOffsetsRequest, epoch int32) *kmsg.ListOffsetsRequest {
	req.Topics[0].Partitions[0].CurrentLeaderEpoch = epoch
	return req
}

func withReplica(req *kmsg.ListOffsetsRequest, id int32) *kmsg.ListOffsetsRequest {
	req.ReplicaID = id
	return req
}

func TestListOffsetsMaxTimestampOnEmptyLog(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	p := f.call(listOffsetsReq(7, "t", 0, -3)).(*kmsg.ListOffsetsResponse).Topics[0].Partitions[0]
	if p.ErrorCode != 0 || p.Offset != -1 || p.Timestamp != -1 || p.LeaderEpoch != -1 {
		t.Fatalf("max timestamp of an empty log: %+v, want offset, timestamp and epoch -1", p)
	}
}

// TestListOffsetsLatestEpoch: latest answers the current leader epoch even
// when the newest batch was written in an older one.
func TestListOffsetsLatestEpoch(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	f.produce("t", 0, batch(1000, "a"))
	f.topic("t", part{leader: self, epoch: 4, replicas: []int32{self}})
	p := f.call(listOffsetsReq(7, "t", 0, -1)).(*kmsg.ListOffsetsResponse).Topics[0].Partitions[0]
	if p.Offset != 1 || p.LeaderEpoch != 4 {
		t.Fatalf("latest: offset %d epoch %d, want 1 and 4", p.Offset, p.LeaderEpoch)
	}
	p = f.call(listOffsetsReq(7, "t", 0, -2)).(*kmsg.ListOffsetsResponse).Topics[0].Partitions[0]
	if p.Offset != 0 || p.LeaderEpoch != 0 {
		t.Fatalf("earliest: offset %d epoch %d, want 0 and 0", p.Offset, p.LeaderEpoch)
	}
}

func TestListOffsetsDuplicatePartitions(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(2)...)
	for _, tc := range []struct {
		version int16
		codes   []int16
	}{
		{version: 7, codes: []int16{kerr.InvalidRequest.Code, 0, kerr.InvalidRequest.Code}},
		{version: 0, codes: []int16{0, 0, 0}}, // v0 predates the rule
	} {
		req := listOffsetsReq(tc.version, "t", 0, -1)
		for _, p := range []int32{1, 0} {
			rp := kmsg.NewListOffsetsRequestTopicPartition()
			rp.Partition, rp.Timestamp, rp.MaxNumOffsets = p, -1, 1
			req.Topics[0].Partitions = append(req.Topics[0].Partitions, rp)
		}
		resp := f.call(req).(*kmsg.ListOffsetsResponse)
		for i, p := range resp.Topics[0].Partitions {
			if p.ErrorCode != tc.codes[i] {
				t.Errorf("v%d partition entry %d: code %d, want %d", tc.version, i, p.ErrorCode, tc.codes[i])
			}
		}
	}
}

// corruptFirstBatch overwrites the length of t-0's first batch on disk
// with one too small for a batch header, as a torn or damaged disk would.
func corruptFirstBatch(f *fixture) {
	f.t.Helper()
	seg := filepath.Join(mustLog(f, "t", 0).Dir(), "00000000000000000000.log")
	file, err := os.OpenFile(seg, os.O_WRONLY, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	defer file.Close()
	if _, err := file.WriteAt([]byte{0, 0, 0, 1}, 8); err != nil { // the batch length, after the base offset
		f.t.Fatal(err)
	}
}
