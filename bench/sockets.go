package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// kqAutotuned is one kq broker whose sockets keep the kernel's buffer
// autotuning (socket.receive.buffer.bytes=-1, socket.send.buffer.bytes=-1)
// instead of Kafka's fixed 100 KiB defaults, which kq keeps as its own.
// kfake, like any Go server, never sets the buffers, so this row is the
// like-for-like comparison with it.
var kqAutotuned = brokerKind{"kq-autotuned", 1, func(ctx context.Context, cfg config, port int, dir string) *exec.Cmd {
	return exec.CommandContext(ctx, cfg.kqBin, "server", "--broker-id", "1",
		"--listeners", fmt.Sprintf("PLAINTEXT://127.0.0.1:%d", port), "--log-dirs", dir,
		"--override", "socket.receive.buffer.bytes=-1", "--override", "socket.send.buffer.bytes=-1")
}}

// compareSockets alternates kq with Kafka's socket buffers and kq with
// the kernel's autotuning over the comparison's loads.
func compareSockets(ctx context.Context, cfg config) (results, error) {
	res := results{}
	for round := 1; round <= cfg.rounds; round++ {
		for _, k := range []brokerKind{kinds[0], kqAutotuned} {
			fmt.Fprintf(os.Stderr, "sockets round %d/%d: %s\n", round, cfg.rounds, k.name)
			if err := runRound(ctx, cfg, k, res); err != nil {
				return nil, fmt.Errorf("sockets round %d, %s: %w", round, k.name, err)
			}
		}
	}
	return res, nil
}

// renderSockets puts the autotuned broker beside the default one and
// beside kfake's medians from the main comparison (same run).
func renderSockets(res, comparison results) string {
	if res == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n## Socket buffers\n\nkq keeps Kafka's defaults `socket.receive.buffer.bytes=102400` and `socket.send.buffer.bytes=102400`, " +
		"which fix the kernel's buffers at about 200 KiB; `-1` leaves them to Linux's autotuning, as kfake (which never sets them) has. " +
		"Alternating runs of both kq settings; kfake's figures are its medians from the first table.\n\n")
	b.WriteString("| load | kq MB/s | kq autotuned MB/s | autotuned/default | kq CPU-s/GB | kq autotuned CPU-s/GB | kfake CPU-s/GB | autotuned CPU/kfake |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	mbs := func(s sample) float64 { return s.mbPerSec }
	cpu := func(s sample) float64 { return s.cpuPerGB }
	for _, l := range loads {
		def, tuned := res[l.name][kinds[0].name], res[l.name][kqAutotuned.name]
		kfakeCPU := medianOf(comparison[l.name][kinds[1].name], cpu)
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %s | %.2f | %.2f | %.2f | %s |\n", l.name,
			medianOf(def, mbs), medianOf(tuned, mbs), ratio(medianOf(tuned, mbs), medianOf(def, mbs)),
			medianOf(def, cpu), medianOf(tuned, cpu), kfakeCPU, ratio(medianOf(tuned, cpu), kfakeCPU))
	}
	return b.String()
}
