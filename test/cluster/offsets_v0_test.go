package cluster

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

// OffsetCommit v0 lands in ZooKeeper at /consumers/<group>/offsets/<topic>/<p>
// as a decimal string, where Kafka 3.9's ZooKeeper-mode broker writes it,
// and OffsetFetch v0 on another broker reads it back from there.
func TestOffsetCommitV0WritesKafkasZnode(t *testing.T) {
	bs, connect := startZKClusterConnect(t, 2)
	kqZK(t, connect, 0, "--create", "--topic", "old", "--partitions", "2", "--replication-factor", "2")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	waitLeaders(ctx, t, seeds(bs), "old", 2)

	v0 := kversion.Stable()
	v0.SetMaxKeyVersion(8, 0)
	v0.SetMaxKeyVersion(9, 0)
	commit := kmsg.NewPtrOffsetCommitRequest()
	commit.Group = "zk-group"
	commit.Topics = []kmsg.OffsetCommitRequestTopic{{Topic: "old", Partitions: []kmsg.OffsetCommitRequestTopicPartition{{Partition: 1, Offset: 1234}}}}
	cl := bs[0].Client(kgo.MaxVersions(v0))
	defer cl.Close()
	resp, err := cl.Broker(1).Request(ctx, commit)
	if err != nil || resp.(*kmsg.OffsetCommitResponse).Topics[0].Partitions[0].ErrorCode != 0 {
		t.Fatalf("OffsetCommit v0: %v %+v", err, resp)
	}

	res := harness.KQ(t, nil, "zk", "get", "/consumers/zk-group/offsets/old/1", "--zookeeper", connect)
	if res.Code != 0 || strings.TrimSpace(res.Stdout) != "1234" {
		t.Fatalf("kq zk get: exit %d\nstdout: %q\nstderr: %s", res.Code, res.Stdout, res.Stderr)
	}

	fetch := kmsg.NewPtrOffsetFetchRequest()
	fetch.Group = "zk-group"
	fetch.Topics = []kmsg.OffsetFetchRequestTopic{{Topic: "old", Partitions: []int32{1}}}
	fresp, err := cl.Broker(2).Request(ctx, fetch)
	if err != nil {
		t.Fatalf("OffsetFetch v0: %v", err)
	}
	if p := fresp.(*kmsg.OffsetFetchResponse).Topics[0].Partitions[0]; p.Offset != 1234 || p.ErrorCode != 0 {
		t.Fatalf("OffsetFetch v0 on broker 2: %+v", p)
	}
}
