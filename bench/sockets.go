package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// kqKafkaBuffers is one kq broker with Kafka's fixed socket buffers
// (socket.receive.buffer.bytes and socket.send.buffer.bytes 102400),
// against kq's defaults: the receive buffer -1, left to the kernel's
// autotuning as kfake (which never sets it) has it, the send buffer
// Kafka's 102400.
var kqKafkaBuffers = brokerKind{"kq-102400", 1, func(ctx context.Context, cfg config, port int, dir string) *exec.Cmd {
	return exec.CommandContext(ctx, cfg.kqBin, "server", "--broker-id", "1",
		"--listeners", fmt.Sprintf("PLAINTEXT://127.0.0.1:%d", port), "--log-dirs", dir,
		"--override", "socket.receive.buffer.bytes=102400", "--override", "socket.send.buffer.bytes=102400")
}}

// compareSockets alternates kq at its default socket buffers with kq at
// Kafka's, over the comparison's loads and then the raw generator's.
func compareSockets(ctx context.Context, cfg config) (results, error) {
	res := results{}
	for round := 1; round <= cfg.rounds; round++ {
		for _, k := range []brokerKind{kinds[0], kqKafkaBuffers} {
			fmt.Fprintf(os.Stderr, "sockets round %d/%d: %s\n", round, cfg.rounds, k.name)
			if err := runRound(ctx, cfg, k, res); err != nil {
				return nil, fmt.Errorf("sockets round %d, %s: %w", round, k.name, err)
			}
			if err := runRawRound(ctx, cfg, k, res); err != nil {
				return nil, fmt.Errorf("sockets round %d, %s, raw: %w", round, k.name, err)
			}
		}
	}
	return res, nil
}

// renderSockets puts kq's default beside Kafka's buffer sizes.
func renderSockets(res results) string {
	if res == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n## Socket buffers\n\nkq's `socket.receive.buffer.bytes` defaults to -1, which leaves the receive buffer to " +
		"Linux's autotuning (as kfake, which never sets it, has); Kafka's default, 102400, fixes it at about 200 KiB and turns " +
		"the autotuning off. `socket.send.buffer.bytes` keeps Kafka's 102400 in both columns: autotuned send buffers served " +
		"consumers worse (three raw consumers of 16 KiB records: 15-30% less throughput at 1.2-1.5x the CPU per byte). " +
		"Alternating runs of kq at both settings, under both generators; medians.\n\n")
	b.WriteString("| load | kq receive -1 MB/s | kq receive 102400 MB/s | -1/102400 | kq -1 CPU-s/GB | kq 102400 CPU-s/GB | CPU -1/102400 |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|\n")
	mbs := func(s sample) float64 { return s.mbPerSec }
	cpu := func(s sample) float64 { return s.cpuPerGB }
	for _, l := range append(append([]load{}, loads...), rawLoads...) {
		def, fixed := res[l.name][kinds[0].name], res[l.name][kqKafkaBuffers.name]
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %s | %.2f | %.2f | %s |\n", l.name,
			medianOf(def, mbs), medianOf(fixed, mbs), ratio(medianOf(def, mbs), medianOf(fixed, mbs)),
			medianOf(def, cpu), medianOf(fixed, cpu), ratio(medianOf(def, cpu), medianOf(fixed, cpu)))
	}
	return b.String()
}
