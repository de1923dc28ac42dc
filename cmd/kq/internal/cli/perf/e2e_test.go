package perf

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

func TestE2EArgs(t *testing.T) {
	for _, tc := range []struct {
		name          string
		args          []string
		want          E2EOptions
		wantBootstrap string
	}{
		{"kafka's positional arguments", []string{"127.0.0.1:9093", "lat", "500", "all", "64"},
			E2EOptions{BrokerList: "127.0.0.1:9093", Topic: "lat", Messages: 500, Acks: admin.AcksAll, MessageSize: 64,
				PollTimeout: time.Minute}, "127.0.0.1:9093"},
		{"flags", []string{"--topic", "lat", "--num-messages", "7", "--acks", "1", "--message-size", "3", "--timeout-ms", "250"},
			E2EOptions{Topic: "lat", Messages: 7, Acks: admin.AcksLeader, MessageSize: 3, PollTimeout: 250 * time.Millisecond}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := clitest.New(admintest.NewCluster())
			var got *E2EOptions
			err := execute(NewCmdE2E(env.Factory, func(_ context.Context, o *E2EOptions) error { got = o; return nil }), tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			if got.BrokerList != tc.want.BrokerList || got.Topic != tc.want.Topic || got.Messages != tc.want.Messages ||
				got.Acks != tc.want.Acks || got.MessageSize != tc.want.MessageSize || got.PollTimeout != tc.want.PollTimeout {
				t.Errorf("got %+v\nwant %+v", *got, tc.want)
			}
			if env.Opts.BootstrapServer != tc.wantBootstrap {
				t.Errorf("bootstrap server %q, want %q", env.Opts.BootstrapServer, tc.wantBootstrap)
			}
		})
	}
}

func TestE2EArgsRefused(t *testing.T) {
	for _, bad := range [][]string{
		{},                                // no topic
		{"--topic", "lat", "--acks", "0"}, // latency needs an acknowledgement
		{"--topic", "lat", "--num-messages", "0"},
		{"b:9092", "lat", "x", "1", "100"}, // NUM_MESSAGES not a number
		{"b:9092", "lat", "10"},            // three of five arguments
		{"b:9092", "bad topic", "10", "1", "100"},
	} {
		env := clitest.New(admintest.NewCluster())
		err := execute(NewCmdE2E(env.Factory, func(context.Context, *E2EOptions) error { return nil }), bad...)
		if clierr.Code(err) != clierr.CodeUsage {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestE2ERun(t *testing.T) {
	for _, tc := range []struct {
		format      string
		wantOut     []string
		wantErrOut  []string
		wantCreated bool
	}{
		{"table", []string{"Topic \"lat\" does not exist. Will create topic with 1 partition(s) and replication factor = 1\n",
			"0\t", "1000\t", "Avg latency: ", "\nPercentiles: 50th = "}, nil, true},
		{"json", []string{`"messages": 1200`, `"p99_9_ms"`}, []string{"Topic \"lat\" does not exist", "0\t", "1000\t"}, true},
	} {
		t.Run(tc.format, func(t *testing.T) {
			c := admintest.NewCluster()
			env := clitest.New(c)
			env.Opts.Output = output.Format(tc.format)
			if err := execute(NewCmdE2E(env.Factory, nil), "--topic", "lat", "--num-messages", "1200", "--acks", "all"); err != nil {
				t.Fatalf("%v; stderr %s", err, env.ErrOut)
			}
			for _, want := range tc.wantOut {
				if !strings.Contains(env.Out.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, env.Out)
				}
			}
			for _, want := range tc.wantErrOut {
				if !strings.Contains(env.ErrOut.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, env.ErrOut)
				}
			}
			if tc.format == "json" {
				var sum E2ESummary
				if err := json.Unmarshal(env.Out.Bytes(), &sum); err != nil || sum.Messages != 1200 || sum.P50Ms > sum.P99Ms {
					t.Fatalf("%v: %+v", err, sum)
				}
			}
			if n := len(c.Records("lat", 0)); n != 1200 {
				t.Fatalf("topic holds %d records", n)
			}
		})
	}
}

// TestE2ESummaryLines pins kafka-e2e-latency's result lines: the average
// to four places, the percentiles as whole milliseconds.
func TestE2ESummaryLines(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 1000; i++ {
		lat = append(lat, time.Duration(i)*100*time.Microsecond) // 0.1 ms .. 100 ms
	}
	sum := e2eSummary(lat)
	want := "Avg latency: 50.0500 ms\nPercentiles: 50th = 50, 99th = 99, 99.9th = 100\n"
	if got := sum.lines(); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	if sum.Messages != 1000 || sum.MaxLatencyMs != 100 || sum.P50Ms != 50.1 {
		t.Fatalf("%+v", sum)
	}
}
