package handler

import (
	"cmp"
	"context"
	"path/filepath"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/store/partitionlog"
)

// LogDirs is the broker's log directories and the logs in them
// (partitionlog.Manager).
type LogDirs interface {
	Dirs() []string
	OfflineDirs() []string
	All() []*partitionlog.Log
}

// DescribeLogDirs v0-4: every log dir of this broker with the partitions
// it holds (all, or those asked for), each with its size on disk (the
// bytes of its segments) and offset lag, max(high watermark - log end, 0)
// as Kafka's getLogEndOffsetLag computes it: 0 on a leader, and 0 on a
// follower too, whose high watermark is the leader's capped at its own log
// end (the leader's uncapped mark is not kept). An offline dir answers
// KAFKA_STORAGE_ERROR and no partitions. v4 adds the volume's total and
// usable bytes. kq never moves replicas between dirs, so no replica is a
// future one.
func (h *Handler) describeLogDirs(_ context.Context, req *server.Request, body *kmsg.DescribeLogDirsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DescribeLogDirsResponse)
	if !h.allowedCluster(req, opDescribe) {
		resp.ErrorCode = clusterDenied // v3+; older versions see no dirs
		return resp, nil
	}
	if h.deps.LogDirs == nil {
		resp.ErrorCode = kerr.UnknownServerError.Code
		return resp, nil
	}
	wanted := wantedPartitions(body)
	byDir := map[string][]*partitionlog.Log{}
	for _, l := range h.deps.LogDirs.All() {
		tp := l.TopicPartition()
		if wanted == nil || wanted[tp] {
			dir := filepath.Dir(l.Dir())
			byDir[dir] = append(byDir[dir], l)
		}
	}
	offline := h.deps.LogDirs.OfflineDirs()
	for _, dir := range h.deps.LogDirs.Dirs() {
		rd := kmsg.NewDescribeLogDirsResponseDir()
		rd.Dir = absDir(dir)
		if slices.Contains(offline, dir) {
			rd.ErrorCode = kerr.KafkaStorageError.Code
			resp.Dirs = append(resp.Dirs, rd)
			continue
		}
		rd.Topics = logDirTopics(byDir[filepath.Clean(dir)])
		if total, usable, err := partitionlog.DiskUsage(dir); err == nil {
			rd.TotalBytes, rd.UsableBytes = total, usable
		}
		resp.Dirs = append(resp.Dirs, rd)
	}
	return resp, nil
}

// wantedPartitions returns the partitions asked for, nil for all (null
// topics).
func wantedPartitions(body *kmsg.DescribeLogDirsRequest) map[partitionlog.TopicPartition]bool {
	if body.Topics == nil {
		return nil
	}
	out := map[partitionlog.TopicPartition]bool{}
	for _, t := range body.Topics {
		for _, p := range t.Partitions {
			out[partitionlog.TopicPartition{Topic: t.Topic, Partition: p}] = true
		}
	}
	return out
}

// logDirTopics groups one dir's logs by topic, in name and partition order.
func logDirTopics(logs []*partitionlog.Log) []kmsg.DescribeLogDirsResponseDirTopic {
	slices.SortFunc(logs, func(a, b *partitionlog.Log) int {
		return comparePartitions(a.TopicPartition(), b.TopicPartition())
	})
	var out []kmsg.DescribeLogDirsResponseDirTopic
	for _, l := range logs {
		tp := l.TopicPartition()
		if n := len(out); n == 0 || out[n-1].Topic != tp.Topic {
			rt := kmsg.NewDescribeLogDirsResponseDirTopic()
			rt.Topic = tp.Topic
			out = append(out, rt)
		}
		rp := kmsg.NewDescribeLogDirsResponseDirTopicPartition()
		rp.Partition, rp.Size = tp.Partition, l.Size()
		rp.OffsetLag = max(l.HighWatermark()-l.LogEndOffset(), 0)
		out[len(out)-1].Partitions = append(out[len(out)-1].Partitions, rp)
	}
	return out
}

func comparePartitions(a, b partitionlog.TopicPartition) int {
	return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
}

// absDir is the dir as Kafka reports it, absolute.
func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}
