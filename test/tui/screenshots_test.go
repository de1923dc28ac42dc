package tui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
	"github.com/kqhq/kq/test/tui/ansisvg"
)

// screenshotDirEnv names the directory TestScreenshots writes the README's
// SVGs to (make screenshots sets it to docs/screenshots).
const screenshotDirEnv = "KQ_TUI_SCREENSHOT_DIR"

// TestScreenshots takes the README's pictures of `kq tui` on a live
// 3-broker cluster with traffic, a consumer group keeping up and one
// falling behind: Topics, a topic's Partitions, Groups, a group's lag,
// Messages, a filter over them and a topic's configs, each captured with its colours and drawn as an SVG. It runs
// only when KQ_TUI_SCREENSHOT_DIR is set.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv(screenshotDirEnv)
	if dir == "" {
		t.Skip(screenshotDirEnv + " is not set (make screenshots sets it)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_, addrs := harness.StartLocalCluster(t, 3, nil)
	bootstrap := strings.Join(addrs, ",")
	kq(t, "-b", bootstrap, "topics", "create", "orders", "-p", "6", "-r", "3")
	kq(t, "-b", bootstrap, "topics", "create", "payments", "-p", "3", "-r", "3")
	kq(t, "-b", bootstrap, "topics", "create", "audit", "-p", "1", "-r", "2")
	produceOrders(t, bootstrap, 0, 3000)
	produce(t, bootstrap, "payments", 500)
	produce(t, bootstrap, "audit", 40)

	// reporting reads orders once and stops: a group whose lag grows on
	// every partition as the traffic goes on.
	kq(t, "-b", bootstrap, "consume", "-t", "orders", "--group", "reporting", "--from-beginning", "--exit-at-end")
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	// billing keeps up with payments: a Stable group with one member.
	background(ctx, t, &wg, harness.Binary(t), "-b", bootstrap, "consume", "-t", "payments", "--group", "billing",
		"--from-beginning")
	wg.Add(1)
	go func() { defer wg.Done(); traffic(ctx, t, bootstrap) }()

	p := startPane(t, 120, 30, harness.Binary(t), "tui", "-b", bootstrap, "--refresh", "1s")
	p.waitFor(60*time.Second, "topics with rates", contains("orders", "payments", "● live", "Brokers 3/3"))
	time.Sleep(3 * time.Second) // a few refreshes: rates and sizes filled in
	p.keys("j", "j")            // onto orders
	p.waitFor(10*time.Second, "orders selected", contains("orders: 6 partitions"))
	p.screenshot(dir, "topics")

	p.command("partitions orders")
	p.waitFor(30*time.Second, "the partitions of orders", healthyPartitions(6, 3))
	p.screenshot(dir, "partitions")

	p.command("groups")
	p.waitFor(60*time.Second, "the groups", contains("reporting", "billing", "Stable"))
	p.waitFor(60*time.Second, "reporting's lag growing", contains("growing"))
	p.screenshot(dir, "groups")

	p.command("lag reporting")
	p.waitFor(30*time.Second, "reporting's lag on every partition", func(s string) error {
		if err := contains("reporting › lag", "CURRENT-OFFSET")(s); err != nil {
			return err
		}
		if n := strings.Count(s, "orders  "); n < 6 {
			return fmt.Errorf("%d partitions of orders shown, want 6", n)
		}
		return nil
	})
	p.screenshot(dir, "group-lag")

	p.command("messages orders 0")
	p.waitFor(30*time.Second, "the messages of orders-0", contains("orders-0 › messages", "order-"))
	p.keys("k", "k", "k")
	p.screenshot(dir, "messages")

	p.keys("f")
	p.keys(strings.Split("$.customer=ada and $.total>=90", "")...)
	p.keys("Enter")
	p.waitFor(60*time.Second, "the filter over orders-0", contains("✓ filter read the range", "matched"))
	p.screenshot(dir, "messages-filter")
	kq(t, "-b", bootstrap, "configs", "--alter", "--topic", "orders", "--add-config", "retention.ms=86400000,min.insync.replicas=2")
	p.command("configs orders")
	p.waitFor(30*time.Second, "the configs of orders", contains("orders › configs", "cleanup.policy", "DEFAULT_CONFIG"))
	p.keys("/")
	p.keys(strings.Split("retention", "")...)
	p.keys("Enter")
	p.waitFor(10*time.Second, "the retention configs", contains("/retention", "delete.retention.ms", "✎ retention.ms"))
	p.screenshot(dir, "configs")
}

// command runs a palette command.
func (p *pane) command(line string) {
	p.t.Helper()
	p.keys("Escape", "Escape", ":")
	p.keys(strings.Split(line, "")...)
	p.keys("Enter")
}

// screenshot draws the pane as dir/name.svg.
func (p *pane) screenshot(dir, name string) {
	p.t.Helper()
	capture := p.tmux("capture-pane", "-p", "-e", "-t", "kq")
	var svg bytes.Buffer
	if err := ansisvg.Convert(&svg, []byte(capture), ansisvg.Options{}); err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(dir, name+".svg")
	if err := os.WriteFile(path, svg.Bytes(), 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("%s:\n%s", path, p.screen())
}

// produceOrders writes n JSON orders to orders, keyed by order id.
func produceOrders(t *testing.T, addr string, from, n int) {
	t.Helper()
	var lines strings.Builder
	customers := []string{"ada", "grace", "alan", "edsger", "barbara"}
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&lines, "order-%d\t{\"id\":%d,\"customer\":%q,\"total\":%d.%02d,\"currency\":\"EUR\"}\n",
			i, i, customers[i%len(customers)], 10+i%90, i%100)
	}
	res := harness.KQ(t, strings.NewReader(lines.String()), "-b", addr, "produce", "-t", "orders",
		"--property", "parse.key=true")
	if res.Code != 0 {
		t.Fatalf("produce orders: exit %d: %s", res.Code, res.Stderr)
	}
}

// traffic keeps records flowing until ctx ends, so rates and lag move.
func traffic(ctx context.Context, t *testing.T, addr string) {
	next := 3000
	for ctx.Err() == nil {
		produceOrders(t, addr, next, 150)
		produce(t, addr, "payments", 40)
		next += 150
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// background runs argv until ctx ends.
func background(ctx context.Context, t *testing.T, wg *sync.WaitGroup, argv ...string) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wg.Add(1)
	go func() { defer wg.Done(); _ = cmd.Wait() }()
}
