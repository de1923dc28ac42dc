package groups

import (
	"bufio"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/kqhq/kq/test/harness"
)

// TestKcatBalancedConsumer: kcat -G (librdkafka's group consumer) joins,
// gets every partition, consumes every record and commits, so the group's
// committed offsets reach the log end.
func TestKcatBalancedConsumer(t *testing.T) {
	path, err := exec.LookPath("kcat")
	if err != nil {
		harness.Kcat(t, nil, "-V") // skips, or fails when clients are required
		return
	}
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: groupProps})
	cl := b.Client()
	defer cl.Close()
	adm := kadm.NewClient(cl)
	createTopic(t, adm, "logs", 3)
	ends := produce(t, cl, "logs", 90)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-b", b.Addr, "-G", "kcat-group", "-o", "beginning",
		"-u", "-X", "auto.commit.interval.ms=100", "-f", "%p %o\n", "logs")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	seen := 0
	sc := bufio.NewScanner(out)
	for seen < 90 && sc.Scan() {
		if strings.Count(sc.Text(), " ") == 1 {
			seen++
		}
	}
	if seen < 90 {
		t.Fatalf("kcat consumed %d of 90 records", seen)
	}
	harness.Eventually(t, 30*time.Second, "kcat's commits reach the log end", func() error {
		offs, err := adm.FetchOffsets(ctx, "kcat-group")
		if err != nil {
			return err
		}
		for p, end := range ends {
			if o, ok := offs.Lookup("logs", p); !ok || o.At != end {
				return errorString("partition not committed to its end yet")
			}
		}
		return nil
	})
	described, err := adm.DescribeGroups(ctx, "kcat-group")
	if err != nil {
		t.Fatal(err)
	}
	if g := described["kcat-group"]; g.State != "Stable" || len(g.Members) != 1 {
		t.Fatalf("kcat's group: state %s, %d members", g.State, len(g.Members))
	}
}
