package tui

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
	"github.com/twmb/franz-go/pkg/kgo"
)

// number reads "1,204" as 1204.
func number(s string) int {
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		return -1
	}
	return n
}

// groupLag is the LAG the Groups view shows for group, -1 when not shown.
// LAG is right-aligned: its value ends where its title does.
func groupLag(screen, group string) int {
	lines := strings.Split(screen, "\n")
	end := -1
	for _, l := range lines {
		r := []rune(l)
		if i := strings.Index(l, " LAG "); i >= 0 && strings.Contains(l, "GROUP") {
			end = len([]rune(l[:i])) + 4
			continue
		}
		fields := strings.Fields(strings.TrimLeft(l, "▶ "))
		if end < 0 || len(fields) == 0 || fields[0] != group || len(r) < end {
			continue
		}
		cells := strings.Fields(string(r[:end]))
		return number(cells[len(cells)-1])
	}
	return -1
}

// lagRowRE reads a row of a group's lag: topic, partition, current offset,
// log end offset, lag.
var lagRowRE = regexp.MustCompile(`(?m)^[▶ ] (\S+) +(\d+) +([\d,]+|—) +([\d,]+|—) +(?:⚠ )?([\d,]+|—)`)

// partitionLags checks each row of a group's lag (lag = log end - current)
// and returns their sum and count.
func partitionLags(screen string) (total, rows int, err error) {
	for _, m := range lagRowRE.FindAllStringSubmatch(screen, -1) {
		current, end, lag := number(m[3]), number(m[4]), number(m[5])
		if current < 0 || end < 0 || lag != end-current {
			return 0, 0, fmt.Errorf("%s-%s: current %s, log end %s, lag %s", m[1], m[2], m[3], m[4], m[5])
		}
		total += lag
		rows++
	}
	return total, rows, nil
}

// TestTUIShowsGroupLag runs three brokers, sees the size of the topic
// (DescribeLogDirs), consumes 400 of 1,000 records with a group, and reads the group's lag in the Groups view and its
// detail; then resets the group to the earliest offsets from the TUI (a
// dry-run preview, then y) and sees the lag become the whole topic.
func TestTUIShowsGroupLag(t *testing.T) {
	cluster, addrs := harness.StartLocalCluster(t, 3, nil)
	kq(t, "-b", cluster.Addr, "topics", "create", "orders", "-p", "3", "-r", "3")
	produce(t, cluster.Addr, "orders", 1000)
	kq(t, "-b", cluster.Addr, "consume", "orders", "--group", "reporting", "--from-beginning", "--max-messages", "400")

	p := startPane(t, 120, 30, harness.Binary(t), "tui", "-b", strings.Join(addrs, ","), "--refresh", "500ms")
	screen := p.waitFor(30*time.Second, "the topics view with the size of orders", func(s string) error {
		if err := contains("orders", "● live", "Groups 1", "SIZE")(s); err != nil {
			return err
		}
		if !regexp.MustCompile(`(?m)^[▶ ] orders .* \d+(\.\d)? KiB`).MatchString(s) {
			return fmt.Errorf("no size for orders")
		}
		return nil
	})
	t.Logf("topics:\n%s", screen)
	p.keys("Tab")
	screen = p.waitFor(20*time.Second, "reporting's lag in the Groups view", func(s string) error {
		if lag := groupLag(s, "reporting"); lag != 600 {
			return fmt.Errorf("reporting's lag %d, want 600", lag)
		}
		return nil
	})
	t.Logf("groups:\n%s", screen)
	p.save("groups")

	p.keys("Enter")
	committed := 0 // the partitions with commits: kq produce fills one partition at a time
	screen = p.waitFor(10*time.Second, "reporting's lag per partition", func(s string) error {
		if err := contains("reporting › lag", "CURRENT-OFFSET", "LOG-END-OFFSET")(s); err != nil {
			return err
		}
		total, rows, err := partitionLags(s)
		switch {
		case err != nil:
			return err
		case rows == 0 || total != 600:
			return fmt.Errorf("%d rows lagging %d in all, want 600", rows, total)
		}
		committed = rows
		return nil
	})
	t.Logf("group detail:\n%s", screen)
	p.save("group-detail")

	p.keys("o")
	p.keys(strings.Split("earliest", "")...)
	p.keys("Enter")
	p.keys("Enter") // no topics named: the partitions the group has committed
	question := fmt.Sprintf("Reset %d offsets of group reporting to earliest?", committed)
	if committed == 1 {
		question = "Reset 1 offset of group reporting to earliest?"
	}
	screen = p.waitFor(10*time.Second, "the reset's dry run", contains("NEW-OFFSET", question, "y/N"))
	t.Logf("reset preview:\n%s", screen)
	p.save("reset-preview")
	p.keys("y")
	p.waitFor(20*time.Second, "the lag of the whole topic after the reset", func(s string) error {
		if err := contains("reset ", " of group reporting")(s); err != nil {
			return err
		}
		if total, _, err := partitionLags(s); err != nil || total != 1000 {
			return fmt.Errorf("lag %d (%v), want 1,000", total, err)
		}
		return nil
	})
	res := harness.KQ(t, nil, "-b", cluster.Addr, "groups", "--describe", "--group", "reporting", "-o", "json")
	if res.Code != 0 || strings.Count(res.Stdout, `"current_offset": 0,`) != committed {
		t.Errorf("kq groups --describe after the TUI's reset: exit %d\n%s", res.Code, res.Stdout)
	}
	p.keys("q")
	if status := p.exitStatus(10 * time.Second); status != 0 {
		t.Fatalf("kq tui exited %d", status)
	}
}

// TestTUIShowsALiveMember keeps a franz-go group member in group "live"
// that committed 100 records of orders, and reads in the TUI its state,
// its lag, and in the detail the member, host and client id consuming the
// partition; a reset of the group is refused while the member is there.
func TestTUIShowsALiveMember(t *testing.T) {
	cluster, addrs := harness.StartLocalCluster(t, 3, nil)
	kq(t, "-b", cluster.Addr, "topics", "create", "orders", "-p", "1", "-r", "3")
	produce(t, cluster.Addr, "orders", 1000)
	member := cluster.Client(kgo.ConsumerGroup("live"), kgo.ConsumeTopics("orders"), kgo.ClientID("e2e-reader"),
		kgo.DisableAutoCommit(), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for len(recs) == 0 && ctx.Err() == nil {
		recs = member.PollRecords(ctx, 100).Records()
	}
	if err := member.CommitRecords(ctx, recs...); err != nil {
		t.Fatalf("commit %d records: %v", len(recs), err)
	}
	wantLag := strconv.Itoa(1000 - int(recs[len(recs)-1].Offset) - 1)

	p := startPane(t, 140, 30, harness.Binary(t), "tui", "-b", strings.Join(addrs, ","), "--refresh", "500ms")
	p.waitFor(30*time.Second, "the topics view", contains("orders", "● live"))
	p.keys(":")
	p.keys(strings.Split("lag live", "")...)
	p.keys("Enter")
	screen := p.waitFor(20*time.Second, "the member in the lag of live", func(s string) error {
		if err := contains("live › lag", "e2e-reader", "/127.0.0.1")(s); err != nil {
			return err
		}
		if total, rows, err := partitionLags(s); err != nil || rows != 1 || strconv.Itoa(total) != wantLag {
			return fmt.Errorf("%d rows lagging %d (%v), want 1 lagging %s", rows, total, err, wantLag)
		}
		return nil
	})
	t.Logf("live member:\n%s", screen)
	p.save("group-live-member")
	p.keys("o") // refused, as Kafka refuses: the member would overwrite the offsets
	p.waitFor(10*time.Second, "the reset refused", contains("can only be reset if the group 'live' is inactive", "Stable"))
	p.keys("Escape")
	p.keys("Escape")
	p.waitFor(10*time.Second, "live Stable in the Groups view", contains("Stable"))
}
