package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// rawLoads are the comparison's loads driven by the raw generator
// (rawgen.go); each consume reads back what its produce wrote, by one
// consumer and then by three sharing the partitions, as a group's members.
var rawLoads = []load{
	{"raw produce acks=all 100 B", false, 100, "all", 1, 1},
	{"raw produce acks=all 16 KiB", false, 16 << 10, "all", 1, 1},
	{"raw consume 100 B", true, 100, "", 1, 1},
	{"raw consume 16 KiB", true, 16 << 10, "", 1, 1},
	{"raw consume 100 B, 3 consumers", true, 100, "", 1, 3},
	{"raw consume 16 KiB, 3 consumers", true, 16 << 10, "", 1, 3},
}

// rawScale multiplies -mb for the raw loads: they run about ten times
// faster than the others, and a run of a tenth of a second is mostly the
// brokers' fixed costs (segment and index creation) and the 10 ms grain
// of the CPU counters.
const rawScale = 10

// compareRaw alternates kq and kfake under the raw generator for
// cfg.rounds rounds, a fresh broker of each kind per round.
func compareRaw(ctx context.Context, cfg config) (results, error) {
	res := results{}
	for round := 1; round <= cfg.rounds; round++ {
		for _, k := range kinds {
			fmt.Fprintf(os.Stderr, "raw round %d/%d: %s\n", round, cfg.rounds, k.name)
			if err := runRawRound(ctx, cfg, k, res); err != nil {
				return nil, fmt.Errorf("raw round %d, %s: %w", round, k.name, err)
			}
		}
	}
	return res, nil
}

func runRawRound(ctx context.Context, cfg config, k brokerKind, res results) error {
	b, err := startBroker(ctx, cfg, k)
	if err != nil {
		return err
	}
	defer b.stop()
	produced := map[int]int64{} // size -> records the produce sent
	for _, l := range rawLoads {
		s, err := runRawLoad(ctx, cfg, b, l, produced)
		if err != nil {
			return fmt.Errorf("%s: %w", l.name, err)
		}
		fmt.Fprintf(os.Stderr, "  %-28s %8.1f MB/s %10.0f records/s %6.2f CPU-s/GB (generator %.2f)\n",
			l.name, s.mbPerSec, s.recordsPerSec, s.cpuPerGB, s.genCPUPerGB)
		res.add(l, k.name, s)
	}
	return nil
}

func runRawLoad(ctx context.Context, cfg config, b *broker, l load, produced map[int]int64) (sample, error) {
	topic := "raw-" + strconv.Itoa(l.size)
	if !l.consume {
		if err := createTopic(ctx, cfg, b, topic, cfg.partitions, l.rf); err != nil {
			return sample{}, err
		}
	}
	cpuBefore, err := b.cpuSeconds()
	if err != nil {
		return sample{}, err
	}
	var r rawResult
	if l.consume {
		r, err = rawConsume(ctx, b.addr, topic, cfg.partitions, l.consumers, produced[l.size])
	} else {
		r, err = rawProduce(ctx, b.addr, topic, cfg.partitions, l.size, int64(cfg.mb*rawScale)<<20)
		produced[l.size] = r.records
	}
	if err != nil {
		return sample{}, err
	}
	cpuAfter, err := b.cpuSeconds()
	if err != nil {
		return sample{}, err
	}
	bytes := float64(r.records) * float64(l.size)
	secs := r.elapsed.Seconds()
	return sample{mbPerSec: bytes / (1 << 20) / secs, recordsPerSec: float64(r.records) / secs,
		cpuPerGB: (cpuAfter - cpuBefore) / (bytes / 1e9), genCPUPerGB: r.cpu / (bytes / 1e9)}, nil
}

// renderRaw is the raw generator's kq-kfake table; "" when it did not run.
func renderRaw(res results, loopbackMBs float64) string {
	if res == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n## Broker-bound load: the raw generator\n\nThe same comparison with a generator that costs almost nothing: " +
		"it speaks the protocol through kmsg, builds each partition's 1 MB batches once and resends them (acks=all, 5 produce requests in flight " +
		"on one connection), and fetches with one request in flight per consumer (one consumer, then three on their own connections sharing the " +
		"partitions as a group's members do), counting batches without decoding records. The cores then go to the broker, " +
		"as when producers run on other machines, so the ratios are the brokers' own. Each run sends " + strconv.Itoa(rawScale) +
		" times the MiB of the runs above, as it runs that much faster.\n\n")
	b.WriteString("| load | kq MB/s | kfake MB/s | kq/kfake | kq CPU-s/GB | kfake CPU-s/GB | CPU kq/kfake | generator CPU-s/GB |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	mbs := func(s sample) float64 { return s.mbPerSec }
	cpu := func(s sample) float64 { return s.cpuPerGB }
	gen := func(s sample) float64 { return s.genCPUPerGB }
	for _, l := range rawLoads {
		kqS, fakeS := res[l.name]["kq"], res[l.name]["kfake"]
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %s | %.2f | %.2f | %s | %.2f |\n", l.name,
			medianOf(kqS, mbs), medianOf(fakeS, mbs), ratio(medianOf(kqS, mbs), medianOf(fakeS, mbs)),
			medianOf(kqS, cpu), medianOf(fakeS, cpu), ratio(medianOf(kqS, cpu), medianOf(fakeS, cpu)),
			medianOf(append(kqS, fakeS...), gen))
	}
	one, three := medianOf(res[rawLoads[3].name]["kq"], mbs), medianOf(res[rawLoads[5].name]["kq"], mbs)
	fmt.Fprintf(&b, "\nkq's raw 16 KiB consume is %.0f%% of the loopback bandwidth measured in the same run (%.0f MB/s) with one consumer, "+
		"%.0f%% with three. One consumer waits for each response before asking again, and its copy of the response reads memory the broker's "+
		"sendfile never brought into a cache, where the loopback figure copies one hot 1 MiB buffer.\n", 100*one/loopbackMBs, loopbackMBs, 100*three/loopbackMBs)
	return b.String()
}
