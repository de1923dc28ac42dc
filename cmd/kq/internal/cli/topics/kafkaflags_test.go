package topics

import (
	"context"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

// TestTopicIDAndRackAwareFlags: kafka-topics' --describe --topic-id and
// --create --disable-rack-aware against the fake cluster.
func TestTopicIDAndRackAwareFlags(t *testing.T) {
	c := admintest.NewCluster(1, 2, 3)
	env := clitest.New(c)
	if err := execute(NewCmdTopics(env.Factory, nil), "--create", "--topic", "placed", "--partitions", "6",
		"--replication-factor", "2", "--disable-rack-aware"); err != nil {
		t.Fatal(err)
	}
	topics, err := c.Topics(context.Background(), "placed")
	if err != nil || len(topics) != 1 || len(topics[0].Partitions) != 6 {
		t.Fatalf("%+v %v", topics, err)
	}
	for _, p := range topics[0].Partitions {
		if len(p.Replicas) != 2 || p.Replicas[0] == p.Replicas[1] {
			t.Fatalf("partition %d replicas %v", p.ID, p.Replicas)
		}
	}
	if err := execute(NewCmdTopics(env.Factory, nil), "--describe", "--topic-id", topics[0].ID); err != nil {
		t.Fatal(err)
	}
	if out := env.Out.String(); !strings.Contains(out, "Topic: placed\tTopicId: "+topics[0].ID) {
		t.Fatalf("describe --topic-id printed %q", out)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--describe", "--topic-id", "AAAAAAAAAAAAAAAAAAAAAA"}, clierr.CodeNotFound, "UNKNOWN_TOPIC_ID"},
		{[]string{"--describe", "--topic", "placed", "--topic-id", topics[0].ID}, clierr.CodeUsage, "either --topic or --topic-id"},
		{[]string{"--list", "--topic-id", topics[0].ID}, clierr.CodeUsage, "--topic-id can't be used with --list"},
		{[]string{"--create", "--topic", "x", "--disable-rack-aware"}, clierr.CodeUsage, "needs --partitions and --replication-factor"},
	} {
		err := execute(NewCmdTopics(clitest.New(c).Factory, nil), tc.args...)
		if clierr.Code(err) != tc.code || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v (code %d), want code %d naming %q", tc.args, err, clierr.Code(err), tc.code, tc.want)
		}
	}
}
