package tui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
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
