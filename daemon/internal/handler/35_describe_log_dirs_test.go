package handler_test

import (
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/handler"
	"github.com/kqhq/kq/store/partitionlog"
)

// someOffline is a partitionlog.Manager with some dirs reported offline.
type someOffline struct {
	*partitionlog.Manager
	offline []string
}

func (s someOffline) OfflineDirs() []string { return s.offline }

// logDirsFixture opens two log dirs holding t-0 (with records), t-1 and
// u-0, and returns the manager and the partitions' sizes.
func logDirsFixture(t *testing.T) (*partitionlog.Manager, []string, map[partitionlog.TopicPartition]int64) {
	dirs := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")}
	m, err := partitionlog.OpenManager(dirs, partitionlog.ManagerOptions{Logger: slog.New(slog.DiscardHandler), FileDeleteDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	sizes := map[partitionlog.TopicPartition]int64{}
	for i, tp := range []partitionlog.TopicPartition{{Topic: "t", Partition: 0}, {Topic: "t", Partition: 1}, {Topic: "u", Partition: 0}} {
		l, err := m.Create(tp, [16]byte{byte(i + 1)}, partitionlog.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		if tp.Partition == 0 && tp.Topic == "t" {
			if _, err := l.Append(batch(1000, "one", "two", "three"), 0); err != nil {
				t.Fatal(err)
			}
			l.SetHighWatermark(2)
		}
		sizes[tp] = l.Size()
	}
	return m, dirs, sizes
}

func describeLogDirs(t *testing.T, dirs handler.LogDirs, version int16, topics []kmsg.DescribeLogDirsRequestTopic) *kmsg.DescribeLogDirsResponse {
	req := kmsg.NewPtrDescribeLogDirsRequest()
	req.Version, req.Topics = version, topics
	return callWith(t, handler.Deps{BrokerID: 1, LogDirs: dirs}, req).(*kmsg.DescribeLogDirsResponse)
}

// partitionsIn returns the partitions a response lists, by dir.
func partitionsIn(resp *kmsg.DescribeLogDirsResponse) map[string]map[partitionlog.TopicPartition]kmsg.DescribeLogDirsResponseDirTopicPartition {
	out := map[string]map[partitionlog.TopicPartition]kmsg.DescribeLogDirsResponseDirTopicPartition{}
	for _, d := range resp.Dirs {
		out[d.Dir] = map[partitionlog.TopicPartition]kmsg.DescribeLogDirsResponseDirTopicPartition{}
		for _, rt := range d.Topics {
			for _, rp := range rt.Partitions {
				out[d.Dir][partitionlog.TopicPartition{Topic: rt.Topic, Partition: rp.Partition}] = rp
			}
		}
	}
	return out
}

func TestDescribeLogDirs(t *testing.T) {
	m, dirs, sizes := logDirsFixture(t)
	t0 := partitionlog.TopicPartition{Topic: "t", Partition: 0}
	onlyT0 := []kmsg.DescribeLogDirsRequestTopic{{Topic: "t", Partitions: []int32{0}}}
	tests := []struct {
		name    string
		version int16
		topics  []kmsg.DescribeLogDirsRequestTopic
		offline []string
		want    map[partitionlog.TopicPartition]bool
	}{
		{name: "v0 every partition", version: 0, want: map[partitionlog.TopicPartition]bool{t0: true, {Topic: "t", Partition: 1}: true, {Topic: "u", Partition: 0}: true}},
		{name: "v4 every partition", version: 4, want: map[partitionlog.TopicPartition]bool{t0: true, {Topic: "t", Partition: 1}: true, {Topic: "u", Partition: 0}: true}},
		{name: "v2 the partitions asked for", version: 2, topics: onlyT0, want: map[partitionlog.TopicPartition]bool{t0: true}},
		{name: "v4 an offline dir", version: 4, offline: []string{dirs[1]}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := describeLogDirs(t, someOffline{m, tt.offline}, tt.version, tt.topics)
			if len(resp.Dirs) != 2 || resp.Dirs[0].Dir != dirs[0] || resp.Dirs[1].Dir != dirs[1] {
				t.Fatalf("dirs %+v, want %v", resp.Dirs, dirs)
			}
			got := partitionsIn(resp)
			seen := map[partitionlog.TopicPartition]bool{}
			for i, d := range resp.Dirs {
				checkDir(t, d, tt.version, len(tt.offline) > 0 && i == 1)
				for tp, rp := range got[d.Dir] {
					seen[tp] = true
					if rp.Size != sizes[tp] || rp.OffsetLag != 0 || rp.IsFuture {
						t.Fatalf("%v: size %d lag %d future %v, want size %d lag 0", tp, rp.Size, rp.OffsetLag, rp.IsFuture, sizes[tp])
					}
				}
			}
			if tt.want != nil && len(seen) != len(tt.want) {
				t.Fatalf("partitions %v, want %v", seen, tt.want)
			}
		})
	}
	if sizes[t0] == 0 {
		t.Fatal("t-0 holds records but has size 0")
	}
}

func checkDir(t *testing.T, d kmsg.DescribeLogDirsResponseDir, version int16, offline bool) {
	t.Helper()
	switch {
	case offline:
		if d.ErrorCode != kerr.KafkaStorageError.Code || len(d.Topics) != 0 || d.TotalBytes != -1 {
			t.Fatalf("offline dir %s: error %d, %d topics, total %d", d.Dir, d.ErrorCode, len(d.Topics), d.TotalBytes)
		}
	case d.ErrorCode != 0:
		t.Fatalf("dir %s: error %d", d.Dir, d.ErrorCode)
	case version >= 4 && (d.TotalBytes <= 0 || d.UsableBytes < 0 || d.UsableBytes > d.TotalBytes):
		t.Fatalf("dir %s: total %d usable %d", d.Dir, d.TotalBytes, d.UsableBytes)
	}
}
