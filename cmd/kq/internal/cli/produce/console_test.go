package produce

import (
	"context"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

// TestConsoleProducerFlags: kafka-console-producer's flags set the
// producer properties Kafka's tool sets, beat --producer-property, and its
// retries/backoff defaults hold only where no property names them.
func TestConsoleProducerFlags(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		props map[string]string // -X
		want  map[string]string
		check func(*testing.T, *Options)
	}{
		{"console defaults", []string{"-t", "t"}, nil, map[string]string{"retries": "3", "retry.backoff.ms": "100"}, nil},
		{"a property replaces a default", []string{"-t", "t"}, map[string]string{"retries": "9"}, map[string]string{"retries": "9"}, nil},
		{"flags set properties", []string{"-t", "t", "--message-send-max-retries", "1", "--retry-backoff-ms", "50",
			"--request-timeout-ms", "1500", "--metadata-expiry-ms", "1000", "--max-block-ms", "2000", "--max-memory-bytes", "1048576"}, nil,
			map[string]string{"retries": "1", "retry.backoff.ms": "50", "request.timeout.ms": "1500",
				"metadata.max.age.ms": "1000", "max.block.ms": "2000", "buffer.memory": "1048576"}, nil},
		{"a flag beats --producer-property", []string{"-t", "t", "--producer-property", "retries=7", "--message-send-max-retries", "2"},
			map[string]string{"retries": "8"}, map[string]string{"retries": "2"}, nil},
		{"--timeout is linger.ms", []string{"-t", "t", "--timeout", "25"}, nil, nil, func(t *testing.T, o *Options) {
			if o.Producer.Linger != 25*time.Millisecond {
				t.Fatalf("linger %v", o.Producer.Linger)
			}
		}},
		{"--max-partition-memory-bytes beats --batch-size", []string{"-t", "t", "--batch-size", "100", "--max-partition-memory-bytes", "4096"}, nil, nil,
			func(t *testing.T, o *Options) {
				if o.Producer.BatchMaxBytes != 4096 {
					t.Fatalf("batch %d", o.Producer.BatchMaxBytes)
				}
			}},
		{"--sync", []string{"-t", "t", "--sync"}, nil, nil, func(t *testing.T, o *Options) {
			if !o.Sync {
				t.Fatal("not sync")
			}
		}},
		{"Kafka's line reader", []string{"-t", "t", "--line-reader", "kafka.tools.ConsoleProducer$LineMessageReader"}, nil, nil, nil},
		{"--reader-config under --property", []string{"-t", "t", "--reader-config", producerFile(t, "parse.key=true\nkey.separator=:\n"),
			"--property", "key.separator=|"}, nil, nil, func(t *testing.T, o *Options) {
			if !o.Format.ParseKey || o.Format.KeySeparator != "|" {
				t.Fatalf("%+v", o.Format)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := clitest.New(admintest.NewCluster())
			env.Properties = tt.props
			var got *Options
			var cfg admin.ClientConfig
			err := execute(env, func(_ context.Context, o *Options) error {
				got = o
				var err error
				cfg, err = env.Factory.ClientConfig()
				return err
			}, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.want {
				if cfg.Properties[k] != v {
					t.Errorf("%s = %q, want %q", k, cfg.Properties[k], v)
				}
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func TestConsoleProducerFlagsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"-t", "t", "--socket-buffer-size", "1024"},
		{"-t", "t", "--line-reader", "com.example.MyReader"},
		{"-t", "t", "--timeout", "5", "--linger-ms", "6"},
		{"-t", "t", "--message-send-max-retries", "-1"},
		{"-t", "t", "--reader-config", "/nonexistent/reader.properties"},
		{"-t", "t", "--reader-config", producerFile(t, "no.such=1\n")},
	} {
		env := clitest.New(admintest.NewCluster())
		ran := false
		err := execute(env, func(context.Context, *Options) error { ran = true; return nil }, args...)
		if clierr.Code(err) != clierr.CodeUsage || ran {
			t.Errorf("%q: err %v ran %v", args, err, ran)
		}
	}
}

// laterProducer acknowledges each record from another goroutine.
type laterProducer struct{ acked []bool }

func (l *laterProducer) Produce(_ context.Context, rec admin.Record, done func(admin.Record, error)) {
	i := len(l.acked)
	l.acked = append(l.acked, false)
	go func() {
		l.acked[i] = true
		done(rec, nil)
	}()
}

// TestSyncWaitsForEachAck: with --sync a record's Produce returns only
// after its acknowledgement, so the next line is read after it.
func TestSyncWaitsForEachAck(t *testing.T) {
	l := &laterProducer{}
	p := (&Options{Sync: true}).feeder(l)
	for i := range 3 {
		p.Produce(context.Background(), admin.Record{}, func(admin.Record, error) {})
		if !l.acked[i] {
			t.Fatalf("record %d: Produce returned before its acknowledgement", i)
		}
	}
}
