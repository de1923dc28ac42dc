package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// load is one row of a table: a direction, a record size, for produce
// the acks and the topic's replication factor, for a raw consume the
// consumers sharing the partitions.
type load struct {
	name      string
	consume   bool
	size      int
	acks      string
	rf        int
	consumers int
}

var loads = []load{
	{"produce acks=all 100 B", false, 100, "all", 1, 1},
	{"produce acks=all 16 KiB", false, 16 << 10, "all", 1, 1},
	{"consume 100 B", true, 100, "", 1, 1},
	{"consume 16 KiB", true, 16 << 10, "", 1, 1},
}

// sample is one run of one load against one broker.
type sample struct {
	mbPerSec      float64
	recordsPerSec float64
	cpuPerGB      float64 // broker CPU-seconds per GB (1e9 bytes) of record values
	genCPUPerGB   float64 // the load generator's (kq perf) CPU-seconds per GB
}

// results maps load name -> broker name -> the samples of each round.
type results map[string]map[string][]sample

func (r results) add(l load, brokerName string, s sample) {
	if r[l.name] == nil {
		r[l.name] = map[string][]sample{}
	}
	r[l.name][brokerName] = append(r[l.name][brokerName], s)
}

// compare alternates kq and kfake for cfg.rounds rounds: each round starts
// a fresh broker of each kind, produces every size, then consumes it back.
func compare(ctx context.Context, cfg config) (results, error) {
	res := results{}
	for round := 1; round <= cfg.rounds; round++ {
		for _, k := range kinds {
			fmt.Fprintf(os.Stderr, "round %d/%d: %s\n", round, cfg.rounds, k.name)
			if err := runRound(ctx, cfg, k, res); err != nil {
				return nil, fmt.Errorf("round %d, %s: %w", round, k.name, err)
			}
		}
	}
	return res, nil
}

func runRound(ctx context.Context, cfg config, k brokerKind, res results) error {
	return runLoads(ctx, cfg, k, loads, res)
}

// runLoads starts a fresh broker of kind k and runs ls against it in order.
func runLoads(ctx context.Context, cfg config, k brokerKind, ls []load, res results) error {
	b, err := startBroker(ctx, cfg, k)
	if err != nil {
		return err
	}
	defer b.stop()
	for _, l := range ls {
		s, err := runLoad(ctx, cfg, b, l)
		if err != nil {
			return fmt.Errorf("%s: %w", l.name, err)
		}
		fmt.Fprintf(os.Stderr, "  %-24s %8.1f MB/s %10.0f records/s %6.2f CPU-s/GB\n", l.name, s.mbPerSec, s.recordsPerSec, s.cpuPerGB)
		res.add(l, k.name, s)
	}
	return nil
}

// records sends cfg.mb MiB of values of the load's size.
func (l load) records(cfg config) int64 { return int64(cfg.mb) << 20 / int64(l.size) }

func (l load) topic() string { return "perf-" + strconv.Itoa(l.size) }

func runLoad(ctx context.Context, cfg config, b *broker, l load) (sample, error) {
	if !l.consume {
		if err := createTopic(ctx, cfg, b, l.topic(), cfg.partitions, l.rf); err != nil {
			return sample{}, err
		}
	}
	cpuBefore, err := b.cpuSeconds()
	if err != nil {
		return sample{}, err
	}
	var out struct {
		MBPerSec      float64 `json:"mb_per_sec"`
		RecordsPerSec float64 `json:"records_per_sec"`
		Records       int64   `json:"records"`
	}
	n := strconv.FormatInt(l.records(cfg), 10)
	var genCPU float64
	if l.consume {
		genCPU, err = kqCPU(ctx, cfg, b, &out, "perf", "consume", "--topic", l.topic(), "--messages", n)
	} else {
		genCPU, err = kqCPU(ctx, cfg, b, &out, "perf", "produce", "--topic", l.topic(), "--num-records", n,
			"--record-size", strconv.Itoa(l.size), "--acks", l.acks)
	}
	if err != nil {
		return sample{}, err
	}
	cpuAfter, err := b.cpuSeconds()
	if err != nil {
		return sample{}, err
	}
	if out.Records != l.records(cfg) {
		return sample{}, fmt.Errorf("%d of %d records", out.Records, l.records(cfg))
	}
	gb := float64(out.Records) * float64(l.size) / 1e9
	return sample{mbPerSec: out.MBPerSec, recordsPerSec: out.RecordsPerSec, cpuPerGB: (cpuAfter - cpuBefore) / gb, genCPUPerGB: genCPU / gb}, nil
}

// kq runs the kq binary against the broker and decodes its JSON output
// into v when v is not nil.
func kq(ctx context.Context, cfg config, b *broker, v any, args ...string) error {
	_, err := kqCPU(ctx, cfg, b, v, args...)
	return err
}

// kqCPU is kq that also returns the command's CPU-seconds (user+system).
func kqCPU(ctx context.Context, cfg config, b *broker, v any, args ...string) (float64, error) {
	args = append(args, "--bootstrap-server", b.addr, "--output", "json")
	cmd := exec.CommandContext(ctx, cfg.kqBin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("kq %v: %w: %s", args, err, stderr.Bytes())
	}
	cpu := (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	if v == nil {
		return cpu, nil
	}
	if err := json.Unmarshal(stdout.Bytes(), v); err != nil {
		return 0, fmt.Errorf("kq %v: decode %q: %w", args, stdout.Bytes(), err)
	}
	return cpu, nil
}

// createTopic creates a topic and waits until every broker reports each
// partition led with a full ISR. It retries for a while: the brokers of a
// fresh cluster register some moments after they listen, a replication
// factor above their number is refused until then, and a producer that
// finds no topic fails.
func createTopic(ctx context.Context, cfg config, b *broker, topic string, partitions, rf int) error {
	err := retryFor(ctx, 30*time.Second, func() error {
		return kq(ctx, cfg, b, nil, "topics", "--create", "--topic", topic,
			"--partitions", strconv.Itoa(partitions), "--replication-factor", strconv.Itoa(rf))
	})
	if err != nil {
		return err
	}
	return retryFor(ctx, 30*time.Second, func() error { return topicReady(ctx, cfg, b, topic, partitions, rf) })
}

func topicReady(ctx context.Context, cfg config, b *broker, topic string, partitions, rf int) error {
	for _, addr := range b.addrs {
		var topics []struct {
			Partitions []struct {
				Leader int32   `json:"leader"`
				ISR    []int32 `json:"isr"`
			} `json:"partitions"`
		}
		at := &broker{addr: addr}
		if err := kq(ctx, cfg, at, &topics, "topics", "--describe", "--topic", topic); err != nil {
			return err
		}
		if len(topics) != 1 || len(topics[0].Partitions) != partitions {
			return fmt.Errorf("%s: topic %s not described yet", addr, topic)
		}
		for _, p := range topics[0].Partitions {
			if p.Leader < 0 || len(p.ISR) != rf {
				return fmt.Errorf("%s: topic %s has a partition without leader or full ISR", addr, topic)
			}
		}
	}
	return nil
}

// retryFor calls fn until it succeeds or limit passes. Polling: a
// process outside offers no event to wait on.
func retryFor(ctx context.Context, limit time.Duration, fn func() error) error {
	deadline := time.Now().Add(limit)
	for {
		err := fn()
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}
