package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"

	"github.com/kqhq/kq/test/harness"
)

// commitV0 commits offset for topic's partition 1 in group with
// OffsetCommit v0, as pre-0.9 clients did, sent to broker id directly.
func commitV0(t *testing.T, b *harness.Broker, group, topic string, offset int64) {
	t.Helper()
	v0 := kversion.Stable()
	v0.SetMaxKeyVersion(8, 0)
	cl := b.Client(kgo.MaxVersions(v0))
	defer cl.Close()
	req := kmsg.NewPtrOffsetCommitRequest()
	req.Group = group
	req.Topics = []kmsg.OffsetCommitRequestTopic{{Topic: topic, Partitions: []kmsg.OffsetCommitRequestTopicPartition{
		{Partition: 1, Offset: offset}}}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	resp, err := cl.Broker(int(b.Opts.BrokerID)).Request(ctx, req)
	if err != nil {
		t.Fatalf("OffsetCommit v0: %v", err)
	}
	if code := resp.(*kmsg.OffsetCommitResponse).Topics[0].Partitions[0].ErrorCode; code != 0 {
		t.Fatalf("OffsetCommit v0: error %d", code)
	}
}

// A group that committed with OffsetCommit v0 keeps its offsets in
// ZooKeeper, out of the coordinator's sight, as in Kafka's ZooKeeper mode;
// kq groups --describe still finds it, with its lag.
func TestGroupsDescribeShowsVersion0Offsets(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	mustKQ(t, b, "", "topics", "--create", "--topic", "legacy", "--partitions", "2", "--replication-factor", "1")
	mustKQ(t, b, "a\nb\nc\nd\n", "produce", "--topic", "legacy", "--partition", "1")
	commitV0(t, b, "pre-0.9", "legacy", 1)

	res := kq(t, b, "", "groups", "--describe", "--group", "pre-0.9", "-o", "json")
	if res.Code != 0 {
		t.Fatalf("describe: exit %d\nstderr: %s", res.Code, res.Stderr)
	}
	for _, want := range []string{`"current_offset": 1`, `"log_end_offset": 4`, `"lag": 3`, `"offset_storage": "zookeeper"`} {
		if !strings.Contains(res.Stdout, want) {
			t.Fatalf("describe lacks %s:\n%s", want, res.Stdout)
		}
	}
	res = kq(t, b, "", "groups", "--describe", "--group", "pre-0.9")
	if res.Code != 0 || !strings.Contains(res.Stderr, "kept in ZooKeeper") || !strings.Contains(res.Stdout, "legacy") {
		t.Fatalf("describe (table): exit %d\nstdout: %s\nstderr: %s", res.Code, res.Stdout, res.Stderr)
	}
	if res := kq(t, b, "", "groups", "--describe", "--group", "never"); res.Code != 3 {
		t.Fatalf("describe of a group without offsets: exit %d, want 3 (not found)\nstderr: %s", res.Code, res.Stderr)
	}
}
