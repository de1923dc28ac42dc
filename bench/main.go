// Command bench compares kq with franz-go's kfake (disk mode) under the same
// load: each broker runs as its own process on loopback, `kq perf` drives
// both, runs alternate between them, and the result is a markdown table of
// medians, ratios, CPU-seconds per GB and the loopback TCP bandwidth
// measured in the same run. It lives in its own module so kfake never
// becomes a dependency of kq.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// config is the harness's flags.
type config struct {
	kqBin       string
	kfakeBin    string
	rounds      int
	mb          int
	partitions  int
	goBenchFile string
	out         string
	replication bool
	durability  bool
	sockets     bool
	raw         bool
	e2e         bool
	kfake       bool // the kq-kfake comparison (the first table)
	franz       bool // the first table's franz-go generator runs (false: raw only)
	soak        soakConfig
}

func main() {
	var cfg config
	flag.StringVar(&cfg.kqBin, "kq", "", "Path of the kq binary (kq server and kq perf); required")
	flag.StringVar(&cfg.kfakeBin, "kfake", "", "Path of the kfakebroker binary (./cmd/kfakebroker); required")
	flag.IntVar(&cfg.rounds, "rounds", 3, "Alternations kq, kfake per load; the table shows medians")
	flag.IntVar(&cfg.mb, "mb", 200, "MiB of record values each produce run sends (consume reads them back)")
	flag.IntVar(&cfg.partitions, "partitions", 6, "Partitions of each topic")
	flag.StringVar(&cfg.goBenchFile, "gobench", "", "File with `go test -bench` output to append to the report")
	flag.StringVar(&cfg.out, "out", "", "Write the markdown report here (default stdout)")
	flag.BoolVar(&cfg.replication, "replication", true, "Also compare three kq brokers (RF 3, acks=all) with one (acks=1)")
	flag.BoolVar(&cfg.durability, "durability", true, "Also compare kq's flush.mode=group-commit with the page cache")
	flag.BoolVar(&cfg.sockets, "sockets", true, "Also compare kq's default socket buffers (socket.*.buffer.bytes=-1, the kernel's autotuning) with Kafka's 102400, under both generators")
	flag.BoolVar(&cfg.raw, "raw", true, "Also compare kq with kfake under the raw generator, which leaves the cores to the broker")
	flag.BoolVar(&cfg.e2e, "e2e", true, "Also measure end-to-end latency at half the measured maximum produce throughput")
	flag.BoolVar(&cfg.franz, "franz", true, "Run the first table's loads with the franz-go generator (false: compare with kfake under the raw generator only)")
	flag.BoolVar(&cfg.kfake, "vs-kfake", true, "Compare kq with kfake (false: only the other sections; -kfake is then not needed)")
	flag.DurationVar(&cfg.soak.duration, "soak", 0, "Instead of the comparison, hold kq under sustained produce this long (e.g. 10m) and report its live heap at 1 minute and at the end")
	flag.IntVar(&cfg.soak.rate, "soak-rate", 20000, "Records per second the soak produces")
	flag.IntVar(&cfg.soak.size, "soak-size", 1024, "Bytes per record value in the soak")
	flag.Func("soak-override", "A broker config key=value for the soak's broker (repeatable)", func(v string) error {
		cfg.soak.overrides = append(cfg.soak.overrides, v)
		return nil
	})
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, cfg)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config) error {
	if cfg.soak.duration > 0 && cfg.kqBin != "" {
		return soak(ctx, cfg) // kq alone: no kfake needed
	}
	if cfg.kqBin == "" || (cfg.kfake && cfg.kfakeBin == "") || cfg.rounds < 1 || cfg.mb < 1 {
		return fmt.Errorf("-kq and -kfake are required (-kfake not with -vs-kfake=false); -rounds and -mb must be positive")
	}
	m := describeMachine()
	bw, err := loopbackBandwidth(ctx, 3)
	if err != nil {
		return fmt.Errorf("loopback bandwidth: %w", err)
	}
	var comparison results
	if cfg.kfake && cfg.franz {
		if comparison, err = compare(ctx, cfg); err != nil {
			return err
		}
	}
	var replication results
	if cfg.replication {
		if replication, err = compareReplication(ctx, cfg); err != nil {
			return err
		}
	}
	var durability results
	if cfg.durability {
		if durability, err = compareDurability(ctx, cfg); err != nil {
			return err
		}
	}
	var latency []e2eSample
	if cfg.e2e {
		if latency, err = measureE2E(ctx, cfg); err != nil {
			return err
		}
	}
	// Last: the raw loads write ten times as much, and the disk's writeback
	// of it would slow whatever ran after them.
	var raw results
	if cfg.raw && cfg.kfake {
		if raw, err = compareRaw(ctx, cfg); err != nil {
			return err
		}
	}
	var sockets results
	if cfg.sockets {
		if sockets, err = compareSockets(ctx, cfg); err != nil {
			return err
		}
	}
	m.loadAfter = loadAverage()
	report := renderReport(cfg, m, bw, comparison) + renderRaw(raw, bw) + renderSockets(sockets) + renderReplication(replication) +
		renderDurability(durability) + renderE2E(latency) + renderRuns(comparison, raw, sockets, replication, durability)
	if cfg.goBenchFile != "" {
		b, err := os.ReadFile(cfg.goBenchFile)
		if err != nil {
			return fmt.Errorf("read go benchmarks: %w", err)
		}
		report += renderGoBench(string(b))
	}
	if cfg.out == "" {
		_, err = fmt.Print(report)
		return err
	}
	return os.WriteFile(cfg.out, []byte(report), 0o644)
}

// soak runs the heap soak alone and writes its section with the machine.
func soak(ctx context.Context, cfg config) error {
	if cfg.soak.duration < time.Minute || cfg.soak.rate < 1 || cfg.soak.size < 1 {
		return fmt.Errorf("-soak must be a minute at least; -soak-rate and -soak-size must be positive")
	}
	res, err := runSoak(ctx, cfg, cfg.soak)
	if err != nil {
		return fmt.Errorf("soak: %w", err)
	}
	report := renderSoak(res)
	if cfg.out == "" {
		_, err = fmt.Print(report)
		return err
	}
	return os.WriteFile(cfg.out, []byte(report), 0o644)
}
