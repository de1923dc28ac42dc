package consume

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
)

func execute(ctx context.Context, env *clitest.Env, runF func(context.Context, *Options) error, args ...string) error {
	cmd := NewCmdConsume(env.Factory, runF)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(ctx)
}

func TestArgsToOptions(t *testing.T) {
	tests := []struct {
		args  []string
		check func(*Options) bool
	}{
		{[]string{"t"}, func(o *Options) bool { return o.Topic == "t" && o.Offset.Kind == OffsetEnd }},
		{[]string{"--topic", "t", "--from-beginning"}, func(o *Options) bool { return o.Offset.Kind == OffsetStart }},
		{[]string{"t", "--offset", "-5", "-p", "0,2", "--partition", "3"}, func(o *Options) bool {
			return o.Offset == StartOffset{Kind: OffsetFromEnd, N: 5} && len(o.Partitions) == 3 && o.Partitions[2] == 3
		}},
		{[]string{"t", "--max-messages", "10", "--timeout-ms", "250", "-e", "--isolation-level", "read_committed"}, func(o *Options) bool {
			return o.MaxMessages == 10 && o.Timeout == 250*time.Millisecond && o.ExitAtEnd && o.ReadCommitted
		}},
		{[]string{"t", "--format", "%k"}, func(o *Options) bool { _, ok := o.Formatter.(*templateFormatter); return ok }},
		{[]string{"t", "--property", "print.key=true"}, func(o *Options) bool {
			k, ok := o.Formatter.(*kafkaFormatter)
			return ok && k.key
		}},
	}
	for _, tt := range tests {
		env := clitest.New(admintest.NewCluster())
		var got *Options
		if err := execute(context.Background(), env, func(_ context.Context, o *Options) error { got = o; return nil }, tt.args...); err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		if !tt.check(got) {
			t.Errorf("%q: options %+v", tt.args, got)
		}
	}
}

func TestJSONOutputSelectsJSONLines(t *testing.T) {
	env := clitest.New(admintest.NewCluster())
	env.Opts.Output = "json"
	var got *Options
	if err := execute(context.Background(), env, func(_ context.Context, o *Options) error { got = o; return nil }, "t"); err != nil {
		t.Fatal(err)
	}
	if _, ok := got.Formatter.(jsonFormatter); !ok {
		t.Fatalf("formatter %T", got.Formatter)
	}
}

func TestGroupOptions(t *testing.T) {
	env := clitest.New(admintest.NewCluster())
	var got *Options
	if err := execute(context.Background(), env, func(_ context.Context, o *Options) error { got = o; return nil },
		"t", "--group", "g", "--from-beginning"); err != nil {
		t.Fatal(err)
	}
	if got.Group != "g" || got.Offset.Kind != OffsetStart {
		t.Fatalf("options %+v", got)
	}
	r := &reader{opts: got}
	if cc := r.consumerConfig(); cc.Group != "g" || len(cc.Topics) != 1 || cc.Topics[0] != "t" || !cc.FromEarliest || cc.Start != nil {
		t.Fatalf("consumer config %+v", cc)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"a", "--topic", "b"},
		{"t", "--from-beginning", "--offset", "5"},
		{"t", "--offset", "soon"},
		{"t", "--group", "g", "--partition", "0"},
		{"t", "--group", "g", "--offset", "5"},
		{"t", "--isolation-level", "serializable"},
		{"t", "--format", "%k", "--property", "print.key=true"},
		{"t", "--property", "print.keys=true"},
		{"t", "--max-messages", "-1"},
	} {
		env := clitest.New(admintest.NewCluster())
		err := execute(context.Background(), env, func(context.Context, *Options) error { return errors.New("ran") }, args...)
		if clierr.Code(err) != clierr.CodeUsage {
			t.Errorf("%q: err %v", args, err)
		}
	}
}

// filled has topic "t" with 2 partitions and 3 records in each.
func filled(t *testing.T) *admintest.Cluster {
	t.Helper()
	ctx := context.Background()
	c := admintest.NewCluster()
	if _, err := c.CreateTopic(ctx, admin.TopicSpec{Name: "t", Partitions: 2, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	p := c.NewProducer(admin.ProducerConfig{})
	for i := range 6 {
		rec := admin.Record{Topic: "t", Partition: int32(i % 2), Timestamp: time.UnixMilli(int64(1000 * (i + 1))),
			Key: []byte(fmt.Sprintf("k%d", i)), Value: []byte(fmt.Sprintf("v%d", i))}
		p.Produce(ctx, rec, func(_ admin.Record, err error) {
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	return c
}

func TestConsumeRuns(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"from beginning to end", []string{"t", "--from-beginning", "-e"}, "v0\nv2\nv4\nv1\nv3\nv5\n"},
		{"max messages", []string{"t", "--from-beginning", "--max-messages", "2", "-p", "1"}, "v1\nv3\n"},
		{"last one per partition", []string{"t", "--offset", "-1", "-e", "--format", `%p:%o %k=%v\n`}, "0:2 k4=v4\n1:2 k5=v5\n"},
		{"plus offset", []string{"t", "--offset", "+2", "-e", "-p", "0"}, "v4\n"},
		{"by time", []string{"t", "--offset", "@4000", "-e"}, "v4\n" + "v3\nv5\n"},
		{"end means nothing with exit-at-end", []string{"t", "-e"}, ""},
		{"kafka properties", []string{"t", "--from-beginning", "-e", "-p", "0", "--property", "print.key=true",
			"--property", "print.offset=true"}, "Offset:0\tk0\tv0\nOffset:1\tk2\tv2\nOffset:2\tk4\tv4\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := clitest.New(filled(t))
			if err := execute(context.Background(), env, nil, tt.args...); err != nil {
				t.Fatal(err)
			}
			if got := env.Out.String(); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			n := strings.Count(tt.want, "\n")
			if want := fmt.Sprintf("Processed a total of %d messages\n", n); env.ErrOut.String() != want {
				t.Fatalf("stderr %q", env.ErrOut.String())
			}
		})
	}
}

func TestConsumeJSON(t *testing.T) {
	env := clitest.New(filled(t))
	env.Opts.Output = "json"
	if err := execute(context.Background(), env, nil, "t", "-p", "1", "--offset", "2", "-e"); err != nil {
		t.Fatal(err)
	}
	want := `{"topic":"t","partition":1,"offset":2,"timestamp":6000,"key":"k5","value":"v5","headers":[]}` + "\n"
	if env.Out.String() != want {
		t.Fatalf("got %q", env.Out.String())
	}
}

func TestConsumeTimeout(t *testing.T) {
	env := clitest.New(filled(t))
	start := time.Now()
	if err := execute(context.Background(), env, nil, "t", "--timeout-ms", "50"); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 10*time.Second || env.ErrOut.String() != "Processed a total of 0 messages\n" {
		t.Fatalf("stderr %q", env.ErrOut.String())
	}
}

func TestConsumeInterrupted(t *testing.T) {
	env := clitest.New(filled(t))
	polling := make(chan struct{})
	newConsumer := env.Factory.NewConsumer
	env.Factory.NewConsumer = func(cc admin.ConsumerConfig) (factory.Consumer, error) {
		defer close(polling)
		return newConsumer(cc)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- execute(ctx, env, nil, "t") }() // tails: waits for new records
	<-polling
	cancel()
	if err := <-done; !errors.Is(err, clierr.ErrInterrupted) {
		t.Fatalf("got %v", err)
	}
	if env.ErrOut.String() != "Processed a total of 0 messages\n" {
		t.Fatalf("stderr %q", env.ErrOut.String())
	}
}

func TestConsumeNotFound(t *testing.T) {
	for _, args := range [][]string{{"nope"}, {"t", "-p", "7"}} {
		env := clitest.New(filled(t))
		if err := execute(context.Background(), env, nil, args...); clierr.Code(err) != clierr.CodeNotFound {
			t.Errorf("%q: %v", args, err)
		}
	}
}

// TestExitAtEndPastTransactionMarker: a partition whose last offset is a
// transaction marker must still count as read to its end.
func TestExitAtEndPastTransactionMarker(t *testing.T) {
	c := filled(t)
	marker := admin.Record{Topic: "t", Partition: 0, Headers: []admin.Header{{Key: admintest.MarkerHeader}}}
	c.NewProducer(admin.ProducerConfig{}).Produce(context.Background(), marker, func(_ admin.Record, err error) {
		if err != nil {
			t.Fatal(err)
		}
	})
	env := clitest.New(c)
	done := make(chan error, 1)
	go func() { done <- execute(context.Background(), env, nil, "t", "-p", "0", "--from-beginning", "-e") }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("--exit-at-end did not stop at a marker-terminated partition")
	}
	if env.Out.String() != "v0\nv2\nv4\n" {
		t.Fatalf("got %q", env.Out.String())
	}
}
