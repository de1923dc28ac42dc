package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// kqGroupCommit is one kq broker whose topics default to kq's own
// flush.mode=group-commit: a produce is acknowledged only once an fsync
// covers it.
var kqGroupCommit = brokerKind{"kq-group-commit", 1, func(ctx context.Context, cfg config, port int, dir string) *exec.Cmd {
	return exec.CommandContext(ctx, cfg.kqBin, "server", "--broker-id", "1",
		"--listeners", fmt.Sprintf("PLAINTEXT://127.0.0.1:%d", port), "--log-dirs", dir,
		"--override", "log.flush.mode=group-commit")
}}

// durabilityLoads compare group commit with the page cache (Kafka's
// mode) on one kq broker; the target is at least 0.75x at 16 KiB.
var durabilityLoads = []load{
	{"flush.mode produce acks=all 100 B", false, 100, "all", 1, 1},
	{"flush.mode produce acks=all 16 KiB", false, 16 << 10, "all", 1, 1},
}

// compareDurability alternates a page-cache broker and a group-commit one
// for cfg.rounds rounds.
func compareDurability(ctx context.Context, cfg config) (results, error) {
	res := results{}
	for round := 1; round <= cfg.rounds; round++ {
		for _, k := range []brokerKind{kinds[0], kqGroupCommit} {
			fmt.Fprintf(os.Stderr, "durability round %d/%d: %s\n", round, cfg.rounds, k.name)
			if err := runLoads(ctx, cfg, k, durabilityLoads, res); err != nil {
				return nil, fmt.Errorf("durability round %d, %s: %w", round, k.name, err)
			}
		}
	}
	return res, nil
}

func renderDurability(res results) string {
	if res == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n## Durability: flush.mode\n\nkq alone: one broker in Kafka's page-cache mode against one whose topics use kq's own " +
		"`flush.mode=group-commit` (a produce is acknowledged once an fsync covers it), the same load generator, alternating; medians. " +
		"Group commit is bounded by how fast the disk completes writes; the page cache is too once its dirty pages fill, so longer runs " +
		"(`BENCH_MB=1000`) show the sustained ratio.\n\n")
	b.WriteString("| load | pagecache MB/s | group-commit MB/s | group-commit/pagecache | pagecache CPU-s/GB | group-commit CPU-s/GB |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|\n")
	mbs := func(s sample) float64 { return s.mbPerSec }
	cpu := func(s sample) float64 { return s.cpuPerGB }
	for _, l := range durabilityLoads {
		pc, gc := res[l.name][kinds[0].name], res[l.name][kqGroupCommit.name]
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %s | %.2f | %.2f |\n", l.name,
			medianOf(pc, mbs), medianOf(gc, mbs), ratio(medianOf(gc, mbs), medianOf(pc, mbs)),
			medianOf(pc, cpu), medianOf(gc, cpu))
	}
	return b.String()
}
