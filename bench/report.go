package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func medianOf(samples []sample, field func(sample) float64) float64 {
	xs := make([]float64, len(samples))
	for i, s := range samples {
		xs[i] = field(s)
	}
	return median(xs)
}

func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a/b)
}

func renderReport(cfg config, m machine, loopbackMBs float64, res results) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Performance\n\n")
	if res == nil {
		b.WriteString("The kq-kfake comparison under the franz-go generator did not run in this report (`-vs-kfake=false` or `-franz=false`).\n\n")
	} else {
		fmt.Fprintf(&b, "kq against franz-go's kfake (disk mode, `kfake.DataDir`), one broker each on loopback, "+
			"driven by the same load generator (`kq perf produce|consume`, franz-go), %d partitions, no codec, "+
			"random printable payload, %d MiB per run, runs alternating kq, kfake for %d rounds; medians. "+
			"CPU is the broker process's user+system time from /proc/<pid>/stat per 10^9 bytes of record values.\n\n",
			cfg.partitions, cfg.mb, cfg.rounds)
	}
	fmt.Fprintf(&b, "Taken %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	if res != nil {
		b.WriteString(renderKfake(res, loopbackMBs))
	}
	fmt.Fprintf(&b, "## Machine\n\n- CPU: %s, %d cores\n- load average (1, 5, 15 min): %s before, %s after\n"+
		"- Go: %s\n- kernel: %s\n\n", m.cpu, m.cores, m.loadBefore, m.loadAfter, m.goVersion, m.kernel)
	b.WriteString("## Rerun\n\n```sh\nmake bench                 # the Go benchmarks and this table, short mode (a few minutes)\n" +
		"make bench BENCH_MB=1000   # longer runs, steadier figures\n```\n\n" +
		"The harness is the nested module `bench/` (kfake is its dependency, never kq's): " +
		"`cd bench && go run . -kq ../kq -kfake <kfakebroker binary> -rounds 3 -mb 200`. " +
		"`-soak 10m` instead holds kq alone under sustained produce (`-soak-rate` records/s of `-soak-size` bytes) " +
		"and reports its live heap each minute and the end/1-minute ratio: `make soak` writes it to [soak.md](soak.md).\n")
	return b.String()
}

// renderKfake is the kq-kfake table and the loopback bandwidth.
func renderKfake(res results, loopbackMBs float64) string {
	var b strings.Builder
	b.WriteString("| load | kq MB/s | kfake MB/s | kq/kfake | kq records/s | kfake records/s | kq CPU-s/GB | kfake CPU-s/GB | CPU kq/kfake |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	mbs := func(s sample) float64 { return s.mbPerSec }
	rps := func(s sample) float64 { return s.recordsPerSec }
	cpu := func(s sample) float64 { return s.cpuPerGB }
	for _, l := range loads {
		kqS, fakeS := res[l.name]["kq"], res[l.name]["kfake"]
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %s | %.0f | %.0f | %.2f | %.2f | %s |\n", l.name,
			medianOf(kqS, mbs), medianOf(fakeS, mbs), ratio(medianOf(kqS, mbs), medianOf(fakeS, mbs)),
			medianOf(kqS, rps), medianOf(fakeS, rps), medianOf(kqS, cpu), medianOf(fakeS, cpu),
			ratio(medianOf(kqS, cpu), medianOf(fakeS, cpu)))
	}
	consume16 := medianOf(res[loads[3].name]["kq"], mbs)
	fmt.Fprintf(&b, "\nLoopback TCP bandwidth in the same run (one connection, 1 MiB writes, median of 3): "+
		"**%.0f MB/s**; kq's 16 KiB consume is %.0f%% of it.\n\n", loopbackMBs, 100*consume16/loopbackMBs)
	b.WriteString("MB/s is MiB of record values per second, as Kafka's perf tools count.\n\n")
	b.WriteString(renderCeiling(res))
	return b.String()
}

// renderCeiling shows what the shared cores allow: the load generator
// runs on the same two cores as the broker, so when the two together are
// CPU-bound, a run costs (generator + broker) CPU-seconds per GB, and
// even a broker that cost nothing could beat kfake by at most
// (generator + kfake) / generator.
func renderCeiling(res results) string {
	var b strings.Builder
	b.WriteString("### What the shared cores allow\n\nThe load generator (`kq perf`, franz-go) shares the machine's cores with the broker. " +
		"Where the two together keep the cores busy, throughput follows 1 / (generator + broker CPU-seconds per GB), so the best ratio " +
		"any broker could reach against kfake with this generator on this machine is (generator + kfake) / generator: a broker costing nothing.\n\n")
	b.WriteString("| load | generator CPU-s/GB | kq CPU-s/GB | kfake CPU-s/GB | ceiling for any broker vs kfake | kq's bound (generator + kfake) / (generator + kq) |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|\n")
	cpu := func(s sample) float64 { return s.cpuPerGB }
	gen := func(s sample) float64 { return s.genCPUPerGB }
	for _, l := range loads {
		kqS, fakeS := res[l.name]["kq"], res[l.name]["kfake"]
		g := medianOf(append(slices.Clone(kqS), fakeS...), gen)
		k, f := medianOf(kqS, cpu), medianOf(fakeS, cpu)
		fmt.Fprintf(&b, "| %s | %.2f | %.2f | %.2f | %s | %s |\n", l.name, g, k, f, ratio(g+f, g), ratio(g+f, g+k))
	}
	b.WriteString("\n")
	return b.String()
}

// renderGoBench keeps the package and result lines of `go test -bench`
// output, dropping PASS and ok lines.
func renderGoBench(out string) string {
	var b strings.Builder
	b.WriteString("\n## Go benchmarks (store, daemon)\n\n```\n")
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "pkg: ") || strings.HasPrefix(line, "Benchmark") {
			b.WriteString(line + "\n")
		}
	}
	b.WriteString("```\n")
	return b.String()
}

// renderReplication is the table of three brokers at RF 3, acks=all,
// against one at acks=1; "" when that comparison did not run.
func renderReplication(res results) string {
	if res == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n## Replication\n\nkq alone: one broker at acks=1 against three brokers in one process " +
		"(`kq server --brokers 3`) with a replication factor of 3 at acks=all, the same load generator, alternating; medians. " +
		"Kafka's published ratio for this is about 0.5x (Kreps 2014). CPU is the whole process's: all three brokers.\n\n")
	b.WriteString("| record size | 1 broker acks=1 MB/s | 3 brokers RF3 acks=all MB/s | RF3/RF1 | 1 broker CPU-s/GB | 3 brokers CPU-s/GB |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|\n")
	mbs := func(s sample) float64 { return s.mbPerSec }
	cpu := func(s sample) float64 { return s.cpuPerGB }
	for i, single := range singleLoads {
		one, three := res[single.name]["kq"], res[replicatedLoads[i].name]["kq-3"]
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %s | %.2f | %.2f |\n", sizeName(single.size),
			medianOf(one, mbs), medianOf(three, mbs), ratio(medianOf(three, mbs), medianOf(one, mbs)),
			medianOf(one, cpu), medianOf(three, cpu))
	}
	return b.String()
}

func sizeName(size int) string {
	if size%1024 == 0 {
		return fmt.Sprintf("%d KiB", size/1024)
	}
	return fmt.Sprintf("%d B", size)
}

// renderRuns lists every run's MB/s in round order, so the spread behind
// each median can be judged on a shared, noisy machine.
func renderRuns(sections ...results) string {
	if len(slices.DeleteFunc(slices.Clone(sections), func(r results) bool { return len(r) == 0 })) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n## Every run (MB/s, in round order)\n\n")
	for _, res := range sections {
		names := make([]string, 0, len(res))
		for name := range res {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			brokers := make([]string, 0, len(res[name]))
			for br := range res[name] {
				brokers = append(brokers, br)
			}
			slices.Sort(brokers)
			for _, br := range brokers {
				fmt.Fprintf(&b, "- %s, %s:", name, br)
				for _, s := range res[name][br] {
					fmt.Fprintf(&b, " %.1f", s.mbPerSec)
				}
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}
