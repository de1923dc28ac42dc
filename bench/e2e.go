package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// e2eLoad is one end-to-end latency measurement: a fresh broker process
// of kind, its topics at replication factor rf, records of size bytes
// produced with acks=all.
type e2eLoad struct {
	name string
	kind brokerKind
	rf   int
	size int
}

var e2eLoads = []e2eLoad{
	{"1 broker, acks=all, 100 B", kinds[0], 1, 100},
	{"3 brokers RF 3, acks=all, 100 B", kq3, 3, 100},
}

// e2eMessages is how many records `kq perf e2e` sends one at a time
// under the load: enough that p99.9 is not the maximum.
const e2eMessages = 5000

// e2eLoadShare is the share of the measured maximum produce throughput
// the background load runs at (the "50% of the maximum").
const e2eLoadShare = 0.5

// e2eSample is one round of one e2eLoad.
type e2eSample struct {
	load           string
	maxRecords     float64 // records/s of an unthrottled produce run
	loadRecords    float64 // records/s the throttled background load reached
	loadMB         float64 // its MB/s
	loadP99        float64 // its produce latency p99, ms (send to acknowledgement)
	p50, p99, p999 float64 // `kq perf e2e` under the load, ms
	max            float64
}

// measureE2E runs every e2eLoad for cfg.rounds rounds: each round starts
// a fresh broker, finds the maximum produce throughput with one
// unthrottled run, then keeps a background producer at half of it while
// `kq perf e2e` sends records one at a time on a topic of its own and
// consumes each back (Kafka's kafka-e2e-latency).
func measureE2E(ctx context.Context, cfg config) ([]e2eSample, error) {
	var out []e2eSample
	for round := 1; round <= cfg.rounds; round++ {
		for _, l := range e2eLoads {
			fmt.Fprintf(os.Stderr, "e2e round %d/%d: %s\n", round, cfg.rounds, l.name)
			s, err := runE2E(ctx, cfg, l)
			if err != nil {
				return nil, fmt.Errorf("e2e round %d, %s: %w", round, l.name, err)
			}
			fmt.Fprintf(os.Stderr, "  max %.0f records/s, load %.0f records/s (%.1f MB/s, produce p99 %.1f ms); e2e p50 %.2f p99 %.2f p99.9 %.2f ms\n",
				s.maxRecords, s.loadRecords, s.loadMB, s.loadP99, s.p50, s.p99, s.p999)
			out = append(out, s)
		}
	}
	return out, nil
}

func runE2E(ctx context.Context, cfg config, l e2eLoad) (e2eSample, error) {
	b, err := startBroker(ctx, cfg, l.kind)
	if err != nil {
		return e2eSample{}, err
	}
	defer b.stop()
	full := load{name: l.name, size: l.size, acks: "all", rf: l.rf}
	max, err := runLoad(ctx, cfg, b, full)
	if err != nil {
		return e2eSample{}, fmt.Errorf("maximum throughput: %w", err)
	}
	if err := createTopic(ctx, cfg, b, "e2e-latency", 1, l.rf); err != nil {
		return e2eSample{}, err
	}
	rate := max.recordsPerSec * e2eLoadShare
	bg, err := startBackgroundLoad(ctx, cfg, b, full, rate)
	if err != nil {
		return e2eSample{}, err
	}
	var lat struct {
		P50  float64 `json:"p50_ms"`
		P99  float64 `json:"p99_ms"`
		P999 float64 `json:"p99_9_ms"`
		Max  float64 `json:"max_latency_ms"`
	}
	e2eErr := kq(ctx, cfg, b, &lat, "perf", "e2e", "--topic", "e2e-latency", "--num-messages", strconv.Itoa(e2eMessages),
		"--acks", "all", "--message-size", strconv.Itoa(l.size))
	sum, bgErr := bg.stop()
	if e2eErr != nil {
		return e2eSample{}, e2eErr
	}
	if bgErr != nil {
		return e2eSample{}, fmt.Errorf("background load: %w", bgErr)
	}
	return e2eSample{load: l.name, maxRecords: max.recordsPerSec, loadRecords: sum.RecordsPerSec, loadMB: sum.MBPerSec,
		loadP99: sum.P99, p50: lat.P50, p99: lat.P99, p999: lat.P999, max: lat.Max}, nil
}

// backgroundLoad is a throttled `kq perf produce` that runs until stopped.
type backgroundLoad struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan error
}

// produceSummary is the part of `kq perf produce -o json` the e2e table uses.
type produceSummary struct {
	Records       int64   `json:"records"`
	RecordsPerSec float64 `json:"records_per_sec"`
	MBPerSec      float64 `json:"mb_per_sec"`
	P99           float64 `json:"p99_ms"`
}

// backgroundSeconds bounds the background load should stop never come:
// it sends this many seconds' worth of records at its rate.
const backgroundSeconds = 120

func startBackgroundLoad(ctx context.Context, cfg config, b *broker, l load, rate float64) (*backgroundLoad, error) {
	n := strconv.FormatInt(int64(rate*backgroundSeconds), 10)
	bg := &backgroundLoad{done: make(chan error, 1)}
	bg.cmd = exec.CommandContext(ctx, cfg.kqBin, "perf", "produce", "--topic", l.topic(), "--num-records", n,
		"--record-size", strconv.Itoa(l.size), "--acks", l.acks, "--throughput", strconv.FormatFloat(rate, 'f', 0, 64),
		"--bootstrap-server", b.addr, "--output", "json")
	bg.cmd.Stdout, bg.cmd.Stderr = &bg.stdout, &bg.stderr
	if err := bg.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start background load: %w", err)
	}
	go func() { bg.done <- bg.cmd.Wait() }()
	// Let the load reach its rate before latency is measured.
	select {
	case err := <-bg.done:
		return nil, fmt.Errorf("background load ended early: %v: %s", err, bg.stderr.Bytes())
	case <-time.After(time.Second):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return bg, nil
}

// stop interrupts the load as Ctrl-C would; kq perf produce then flushes
// and prints its summary of what it sent.
func (bg *backgroundLoad) stop() (produceSummary, error) {
	var sum produceSummary
	if err := bg.cmd.Process.Signal(os.Interrupt); err != nil {
		return sum, fmt.Errorf("interrupt: %w", err)
	}
	<-bg.done // exits non-zero when interrupted; the summary tells whether it ran
	if err := json.Unmarshal(bg.stdout.Bytes(), &sum); err != nil || sum.Records == 0 {
		return sum, fmt.Errorf("no summary (%v): %s", err, bg.stderr.Bytes())
	}
	return sum, nil
}

// renderE2E is the end-to-end latency table, medians over the rounds of
// each load; "" when it did not run.
func renderE2E(samples []e2eSample) string {
	if samples == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n## End-to-end latency at %.0f%% of the maximum throughput\n\n", 100*e2eLoadShare)
	fmt.Fprintf(&b, "kq alone, a fresh broker process per round: one unthrottled `kq perf produce` (acks=all) measures the maximum; "+
		"then a background `kq perf produce --throughput` holds %.0f%% of it while `kq perf e2e` (kafka-e2e-latency: "+
		"produce one record with acks=all, consume it back, repeat; %d records) runs on a one-partition topic of its own "+
		"on the same brokers. Medians over the rounds; the target is p99 under 10 ms.\n\n", 100*e2eLoadShare, e2eMessages)
	b.WriteString("| load | max records/s | background records/s | background MB/s | background produce p99 ms | e2e p50 ms | e2e p99 ms | e2e p99.9 ms |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, l := range e2eLoads {
		var rows []e2eSample
		for _, s := range samples {
			if s.load == l.name {
				rows = append(rows, s)
			}
		}
		med := func(field func(e2eSample) float64) float64 {
			xs := make([]float64, len(rows))
			for i, s := range rows {
				xs[i] = field(s)
			}
			return median(xs)
		}
		fmt.Fprintf(&b, "| %s | %.0f | %.0f | %.1f | %.1f | %.2f | %.2f | %.2f |\n", l.name,
			med(func(s e2eSample) float64 { return s.maxRecords }), med(func(s e2eSample) float64 { return s.loadRecords }),
			med(func(s e2eSample) float64 { return s.loadMB }), med(func(s e2eSample) float64 { return s.loadP99 }),
			med(func(s e2eSample) float64 { return s.p50 }), med(func(s e2eSample) float64 { return s.p99 }),
			med(func(s e2eSample) float64 { return s.p999 }))
	}
	b.WriteString("\nEvery round (e2e p99 ms): ")
	for i, s := range samples {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %.2f", s.load, s.p99)
	}
	b.WriteString("\n")
	return b.String()
}
