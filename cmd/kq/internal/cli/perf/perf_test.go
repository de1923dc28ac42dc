package perf

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
	"github.com/twmb/franz-go/pkg/kerr"
)

func execute(cmd *cobra.Command, args ...string) error {
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(context.Background())
}

func topicCluster(t *testing.T) *admintest.Cluster {
	t.Helper()
	c := admintest.NewCluster()
	if _, err := c.CreateTopic(context.Background(), admin.TopicSpec{Name: "p", Partitions: 2, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestProduceArgs(t *testing.T) {
	env := clitest.New(admintest.NewCluster())
	var got *ProduceOptions
	err := execute(NewCmdProduce(env.Factory, func(_ context.Context, o *ProduceOptions) error { got = o; return nil }),
		"--topic", "p", "--num-records", "10", "--record-size", "7", "--acks", "all", "--compression", "zstd", "--throughput", "5")
	if err != nil {
		t.Fatal(err)
	}
	if got.Records != 10 || got.RecordSize != 7 || got.Producer.Acks != admin.AcksAll || !got.Producer.Idempotent ||
		got.Producer.Compression != "zstd" || got.Throughput != 5 || got.Producer.MaxBufferedRecords != 500_000 {
		t.Fatalf("%+v", got)
	}
	for _, bad := range [][]string{{}, {"-t", "p", "--num-records", "0"}, {"-t", "p", "--acks", "2"}, {"-t", "p", "--compression", "x"}} {
		err := execute(NewCmdProduce(env.Factory, func(context.Context, *ProduceOptions) error { return nil }), bad...)
		if clierr.Code(err) != clierr.CodeUsage {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestBufferedRecords(t *testing.T) {
	for _, tc := range []struct{ size, want int }{
		{0, 500_000}, {100, 335544}, {1000, 50_000}, {16 << 10, 50_000},
	} {
		if got := bufferedRecords(tc.size); got != tc.want {
			t.Errorf("bufferedRecords(%d) = %d, want %d", tc.size, got, tc.want)
		}
	}
}

func TestProduceRun(t *testing.T) {
	c := topicCluster(t)
	env := clitest.New(c)
	env.Factory.Now = time.Now
	env.Opts.Output = "json"
	if err := execute(NewCmdProduce(env.Factory, nil), "-t", "p", "--num-records", "500", "--record-size", "10"); err != nil {
		t.Fatal(err)
	}
	var sum Summary
	if err := json.Unmarshal(env.Out.Bytes(), &sum); err != nil {
		t.Fatalf("%v: %q", err, env.Out.String())
	}
	if sum.Records != 500 || sum.Errors != 0 || sum.RecordsPerSec <= 0 {
		t.Fatalf("%+v", sum)
	}
	if n := len(c.Records("p", 0)) + len(c.Records("p", 1)); n != 500 {
		t.Fatalf("cluster has %d records", n)
	}
}

func TestProduceRunReportsFailures(t *testing.T) {
	c := topicCluster(t)
	c.Fail("Produce", context.DeadlineExceeded)
	env := clitest.New(c)
	env.Factory.Now = time.Now
	err := execute(NewCmdProduce(env.Factory, nil), "-t", "p", "--num-records", "3")
	if err == nil || !strings.HasPrefix(env.Out.String(), "0 records sent") {
		t.Fatalf("err %v, stdout %q", err, env.Out.String())
	}
}

// steppingClock returns a clock that moves on by step at every reading,
// so the rates and detailed lines of a run are known in advance.
func steppingClock(start time.Time, step time.Duration) func() time.Time {
	now := start.Add(-step)
	return func() time.Time { now = now.Add(step); return now }
}

const consumeHeader = "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, " +
	"rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec\n"

const detailedHeader = "time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, " +
	"rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec\n"

// TestConsumeRun reads 15 of 20 ten-byte records with a clock that moves
// one second a reading: start at 03:04:05, end at the next reading, or
// the one after when a detailed line read the clock in between.
func TestConsumeRun(t *testing.T) {
	const line = "2025-01-02 03:04:05:000, 2025-01-02 03:04:06:000, 0.0001, 0.0001, 15, 15.0000, 0, 1000, 0.0001, 15.0000\n"
	const progress = "2025-01-02 03:04:06:000, 0, 0.0001, 0.0001, 15, 15.0000, 0, 1000, 0.0001, 15.0000\n"
	for _, tc := range []struct {
		name       string
		format     string
		args       []string
		wantOut    string
		wantErrOut string
	}{
		{"kafka's header and line", "table", nil, consumeHeader + line, ""},
		{"hide header", "table", []string{"--hide-header"}, line, ""},
		{"detailed stats replace the line", "table", []string{"--show-detailed-stats", "--reporting-interval", "1000"},
			detailedHeader + progress, ""},
		{"json keeps detailed lines on stderr", "json", []string{"--show-detailed-stats", "--reporting-interval", "1000"},
			"", detailedHeader + progress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := topicCluster(t)
			p := c.NewProducer(admin.ProducerConfig{})
			for range 20 {
				p.Produce(context.Background(), admin.Record{Topic: "p", Partition: 0, Value: []byte("0123456789")},
					func(admin.Record, error) {})
			}
			env := clitest.New(c)
			env.Factory.Now = steppingClock(clitest.Now, time.Second)
			env.Opts.Output = output.Format(tc.format)
			if err := execute(NewCmdConsume(env.Factory, nil), append([]string{"-t", "p", "--messages", "15"}, tc.args...)...); err != nil {
				t.Fatal(err)
			}
			if tc.format == "json" {
				var sum ConsumeSummary
				if err := json.Unmarshal(env.Out.Bytes(), &sum); err != nil {
					t.Fatalf("%v: %q", err, env.Out.String())
				}
				if sum.Records != 15 || sum.MB != 150.0/mib || sum.RecordsPerSec != 7.5 || sum.FetchTimeMs != 2000 {
					t.Fatalf("%+v", sum)
				}
			} else if env.Out.String() != tc.wantOut {
				t.Errorf("stdout\n%q\nwant\n%q", env.Out.String(), tc.wantOut)
			}
			if env.ErrOut.String() != tc.wantErrOut {
				t.Errorf("stderr\n%q\nwant\n%q", env.ErrOut.String(), tc.wantErrOut)
			}
		})
	}
}

func TestStatsPercentiles(t *testing.T) {
	s := newStats(time.Unix(0, 0), 100)
	for i := 1; i <= 100; i++ {
		s.record(time.Duration(i)*time.Millisecond, 10)
	}
	sum := s.summary(time.Unix(2, 0))
	if sum.Records != 100 || sum.P50Ms != 51 || sum.P99Ms != 100 || sum.MaxLatencyMs != 100 || sum.RecordsPerSec != 50 {
		t.Fatalf("%+v", sum)
	}
}

// TestStatsSampling holds the kept latencies to Kafka's bound: a run of
// five million records keeps every tenth, half a million in all.
func TestStatsSampling(t *testing.T) {
	for _, tc := range []struct {
		records   int64
		wantEvery int64
		wantKept  int
	}{
		{100, 1, 100},
		{maxSamples, 1, maxSamples},
		{5_000_000, 10, maxSamples},
		{5_000_001, 10, maxSamples + 1},
	} {
		s := newStats(time.Unix(0, 0), tc.records)
		for range tc.records {
			s.record(time.Millisecond, 1)
		}
		if s.sampleEvery != tc.wantEvery || len(s.samples) != tc.wantKept {
			t.Errorf("%d records: every %d, kept %d; want %d, %d", tc.records, s.sampleEvery, len(s.samples), tc.wantEvery, tc.wantKept)
		}
	}
}

// TestSummaryLine pins the closing line to kafka-producer-perf-test's
// printTotal format, which scripts that parse Kafka's output rely on.
func TestSummaryLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		sum  Summary
		want string
	}{
		{"whole", Summary{Records: 100, RecordsPerSec: 50, MBPerSec: 0.0004, AvgLatencyMs: 50.5, MaxLatencyMs: 100,
			P50Ms: 51, P95Ms: 96, P99Ms: 100, P999Ms: 100},
			"100 records sent, 50.000000 records/sec (0.00 MB/sec), 50.50 ms avg latency, 100.00 ms max latency, " +
				"51 ms 50th, 96 ms 95th, 100 ms 99th, 100 ms 99.9th."},
		{"percentiles truncate as Kafka's int milliseconds", Summary{Records: 3, RecordsPerSec: 1234.5678, MBPerSec: 12.345,
			AvgLatencyMs: 1.234, MaxLatencyMs: 2.999, P50Ms: 1.9, P95Ms: 2.5, P99Ms: 2.99, P999Ms: 2.999},
			"3 records sent, 1234.567800 records/sec (12.35 MB/sec), 1.23 ms avg latency, 3.00 ms max latency, " +
				"1 ms 50th, 2 ms 95th, 2 ms 99th, 2 ms 99.9th."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.sum.line(); got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// leaderlessAdmin answers ListOffsets as admin.Client does when one
// partition's leader is missing: the others' offsets, that one's error.
type leaderlessAdmin struct{}

func (leaderlessAdmin) ListOffsets(context.Context, int64, ...string) ([]admin.PartitionOffset, error) {
	return []admin.PartitionOffset{
		{Topic: "p", Partition: 0, Offset: 5},
		{Topic: "p", Partition: 1, Offset: -1, Err: kerr.LeaderNotAvailable},
	}, nil
}

func TestConsumeRefusesAPartitionWithoutOffset(t *testing.T) {
	env := clitest.New(topicCluster(t))
	cmd := NewCmdConsume(env.Factory, func(ctx context.Context, o *ConsumeOptions) error {
		o.Admin = func() (consumeAdmin, error) { return leaderlessAdmin{}, nil }
		return consumeRun(ctx, o)
	})
	err := execute(cmd, "-t", "p")
	if !errors.Is(err, kerr.LeaderNotAvailable) {
		t.Fatalf("err %v, want LEADER_NOT_AVAILABLE", err)
	}
}
