package produce

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/twmb/franz-go/pkg/kerr"
)

func execute(env *clitest.Env, runF func(context.Context, *Options) error, args ...string) error {
	cmd := NewCmdProduce(env.Factory, runF)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(context.Background())
}

func TestArgsToOptions(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		props map[string]string
		check func(*testing.T, *Options)
	}{
		{"defaults", []string{"-t", "t"}, nil, func(t *testing.T, o *Options) {
			if o.Topic != "t" || o.Partition != admin.AnyPartition || o.JSONInput || o.MaxRecordBytes != 1<<20 ||
				o.Producer.Acks != admin.AcksAll || !o.Producer.Idempotent || o.Producer.Compression != "none" {
				t.Fatalf("%+v", o)
			}
		}},
		{"kafka spellings", []string{"--topic", "t", "--property", "parse.key=true", "--property", "key.separator=:",
			"--request-required-acks", "1", "--compression-codec", "lz4", "f1", "f2"}, nil, func(t *testing.T, o *Options) {
			if !o.Format.ParseKey || o.Format.KeySeparator != ":" || o.Producer.Acks != admin.AcksLeader ||
				o.Producer.Compression != "lz4" || len(o.Files) != 2 {
				t.Fatalf("%+v", o)
			}
		}},
		{"flags", []string{"-t", "t", "-p", "2", "--acks", "0", "--linger-ms", "5", "--batch-size", "100", "--idempotence=false"}, nil,
			func(t *testing.T, o *Options) {
				if o.Partition != 2 || o.Producer.Acks != admin.AcksNone || o.Producer.Linger != 5*time.Millisecond ||
					o.Producer.BatchMaxBytes != 100 || o.Producer.Idempotent {
					t.Fatalf("%+v", o)
				}
			}},
		{"client properties", []string{"-t", "t"}, map[string]string{"acks": "1", "compression.type": "zstd", "linger.ms": "7", "max.request.size": "10"},
			func(t *testing.T, o *Options) {
				if o.Producer.Acks != admin.AcksLeader || o.Producer.Compression != "zstd" || o.Producer.Linger != 7*time.Millisecond || o.MaxRecordBytes != 10 {
					t.Fatalf("%+v", o)
				}
			}},
		{"flag beats property", []string{"-t", "t", "--acks", "all"}, map[string]string{"acks": "0"},
			func(t *testing.T, o *Options) {
				if o.Producer.Acks != admin.AcksAll {
					t.Fatalf("%+v", o)
				}
			}},
		{"--producer-property beats -X", []string{"-t", "t", "--producer-property", "acks=1", "--producer-property", "enable.idempotence=false"},
			map[string]string{"acks": "0"}, func(t *testing.T, o *Options) {
				if o.Producer.Acks != admin.AcksLeader || o.Producer.Idempotent {
					t.Fatalf("%+v", o)
				}
			}},
		{"--producer.config", []string{"-t", "t", "--producer.config", producerFile(t, "acks=0\ncompression.type=gzip\n")}, nil,
			func(t *testing.T, o *Options) {
				if o.Producer.Acks != admin.AcksNone || o.Producer.Compression != "gzip" {
					t.Fatalf("%+v", o)
				}
			}},
		{"escaped separator", []string{"-t", "t", "--property", `key.separator=\t`}, nil, func(t *testing.T, o *Options) {
			if o.Format.KeySeparator != "\t" {
				t.Fatalf("%q", o.Format.KeySeparator)
			}
		}},
		{"json without topic", []string{"--input", "json"}, nil, func(t *testing.T, o *Options) {
			if !o.JSONInput || o.Topic != "" {
				t.Fatalf("%+v", o)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := clitest.New(admintest.NewCluster())
			env.Properties = tt.props
			var got *Options
			if err := execute(env, func(_ context.Context, o *Options) error { got = o; return nil }, tt.args...); err != nil {
				t.Fatal(err)
			}
			tt.check(t, got)
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-t", "bad name"},
		{"-t", "t", "--input", "xml"},
		{"-t", "t", "--property", "parse.key"},
		{"-t", "t", "--property", "no.such=1"},
		{"-t", "t", "--acks", "2"},
		{"-t", "t", "--compression", "brotli"},
		{"-t", "t", "--property", "headers.separator=\t"},
		{"-t", "t", "--producer-property", "acks"},
		{"-t", "t", "--producer-property", "partitioner.class=com.example.Mine"},
		{"-t", "t", "--producer-property", "interceptor.classes=com.example.Audit"},
		{"-t", "t", "--producer-property", "acks=2"},
		{"-t", "t", "--producer.config", "/nonexistent/producer.properties"},
	} {
		env := clitest.New(admintest.NewCluster())
		ran := false
		err := execute(env, func(context.Context, *Options) error { ran = true; return nil }, args...)
		if clierr.Code(err) != clierr.CodeUsage || ran {
			t.Errorf("%q: err %v ran %v", args, err, ran)
		}
	}
}

func producerFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "producer.properties")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newCluster(t *testing.T, partitions int32) *admintest.Cluster {
	t.Helper()
	c := admintest.NewCluster()
	if _, err := c.CreateTopic(context.Background(), admin.TopicSpec{Name: "t", Partitions: partitions, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestProduceLines(t *testing.T) {
	c := newCluster(t, 1)
	env := clitest.New(c)
	env.In.WriteString("k1:v1\nk2:\n\nk3:v3")
	if err := execute(env, nil, "-t", "t", "--property", "parse.key=true", "--property", "key.separator=:"); err == nil {
		t.Fatal("the empty line has no key separator: want a failure")
	} else if clierr.Code(err) != clierr.CodeFailure {
		t.Fatalf("err %v", err)
	}
	recs := c.Records("t", 0)
	if len(recs) != 3 || string(recs[1].Key) != "k2" || recs[1].Value == nil || len(recs[1].Value) != 0 || string(recs[2].Value) != "v3" {
		t.Fatalf("records %+v", recs)
	}
	wantErr := "Error: stdin:3: No key separator found on line number 3: ''\nProduced 3 of 4 messages (1 failed)\n"
	if env.ErrOut.String() != wantErr {
		t.Fatalf("stderr %q", env.ErrOut.String())
	}
	if env.Out.Len() != 0 {
		t.Fatalf("stdout %q", env.Out.String())
	}
	if p := env.Producers[0]; !p.Closed || p.Flushed != 1 {
		t.Fatalf("producer not flushed and closed: %+v", p)
	}
}

func TestProduceFilesAndPartition(t *testing.T) {
	c := newCluster(t, 3)
	env := clitest.New(c)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	_ = os.WriteFile(a, []byte("1\n2\n"), 0o600)
	_ = os.WriteFile(b, []byte("3\n"), 0o600)
	if err := execute(env, nil, "-t", "t", "-p", "2", a, b); err != nil {
		t.Fatal(err)
	}
	if recs := c.Records("t", 2); len(recs) != 3 || string(recs[2].Value) != "3" {
		t.Fatalf("records %+v", recs)
	}
	if env.ErrOut.String() != "Produced a total of 3 messages\n" {
		t.Fatalf("stderr %q", env.ErrOut.String())
	}
	err := execute(clitest.New(c), nil, "-t", "t", filepath.Join(dir, "missing"))
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestProduceTooLongLine(t *testing.T) {
	c := newCluster(t, 1)
	env := clitest.New(c)
	env.Properties = map[string]string{"max.request.size": "4"}
	env.In.WriteString("ok\ntoolong\nok2\n")
	err := execute(env, nil, "-t", "t")
	if err == nil || !strings.Contains(env.ErrOut.String(), "stdin:2: line of 7 bytes exceeds max.request.size 4") {
		t.Fatalf("err %v stderr %q", err, env.ErrOut.String())
	}
	if len(c.Records("t", 0)) != 2 {
		t.Fatal("the short lines must still be produced")
	}
}

func TestProduceJSONKeepsPartitionAndTimestamp(t *testing.T) {
	c := newCluster(t, 2)
	env := clitest.New(c)
	env.In.WriteString(`{"topic":"other","partition":1,"timestamp":1000,"key_b64":"/w==","value":"v","headers":[{"key":"h","value":null}]}` + "\n\n")
	if err := execute(env, nil, "--input", "json", "-t", "t"); err != nil {
		t.Fatal(err)
	}
	recs := c.Records("t", 1)
	if len(recs) != 1 || recs[0].Key[0] != 0xff || recs[0].Timestamp.UnixMilli() != 1000 || recs[0].Headers[0].Value != nil {
		t.Fatalf("records %+v", recs)
	}
}

func TestProduceJSONWithoutTopicAnywhere(t *testing.T) {
	env := clitest.New(newCluster(t, 1))
	env.In.WriteString(`{"value":"v"}` + "\n")
	err := execute(env, nil, "--input", "json")
	if err == nil || !strings.Contains(err.Error(), "names no topic") {
		t.Fatalf("got %v", err)
	}
}

func TestProduceExitCodes(t *testing.T) {
	tests := []struct {
		name string
		op   string
		err  error
		want int
	}{
		{"unknown topic", "Prepare", kerr.UnknownTopicOrPartition, clierr.CodeNotFound},
		{"unreachable", "Prepare", context.DeadlineExceeded, clierr.CodeUnavailable},
		{"records time out", "Produce", kerr.RequestTimedOut, clierr.CodeUnavailable},
		{"rejected", "Produce", kerr.MessageTooLarge, clierr.CodeFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t, 1)
			c.Fail(tt.op, tt.err)
			env := clitest.New(c)
			env.In.WriteString("x\n")
			err := execute(env, nil, "-t", "t")
			if got := clierr.Code(err); got != tt.want || !errors.Is(err, tt.err) {
				t.Fatalf("code %d err %v", got, err)
			}
		})
	}
}

func TestProduceInterrupted(t *testing.T) {
	env := clitest.New(newCluster(t, 1))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opts := &Options{IO: env.Factory.IOStreams, NewProducer: env.Factory.NewProducer, Topic: "t",
		Partition: admin.AnyPartition, Format: DefaultLineFormat(), MaxRecordBytes: 100}
	if err := produceRun(ctx, opts); !errors.Is(err, clierr.ErrInterrupted) {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(env.ErrOut.String(), "Produced a total of 0 messages") {
		t.Fatalf("stderr %q", env.ErrOut.String())
	}
}
