package produce

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/twmb/franz-go/pkg/kerr"
)

func TestTransactionalOptions(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		props   map[string]string
		id      string
		timeout time.Duration
		size    int64
	}{
		{"not transactional", []string{"-t", "t"}, nil, "", 0, 0},
		{"flags", []string{"-t", "t", "--transactional-id", "tx", "--transaction-timeout-ms", "5000", "--transaction-size", "100"}, nil,
			"tx", 5 * time.Second, 100},
		{"properties", []string{"-t", "t"}, map[string]string{"transactional.id": "p", "transaction.timeout.ms": "7000"},
			"p", 7 * time.Second, 0},
		{"Kafka's default timeout", []string{"-t", "t", "--transactional-id", "tx"}, nil, "tx", time.Minute, 0},
		{"flags beat properties", []string{"-t", "t", "--transactional-id", "f", "--transaction-timeout-ms", "1000"},
			map[string]string{"transactional.id": "p", "transaction.timeout.ms": "7000"}, "f", time.Second, 0},
	}
	for _, tt := range tests {
		env := clitest.New(admintest.NewCluster())
		env.Properties = tt.props
		var got *Options
		if err := execute(env, func(_ context.Context, o *Options) error { got = o; return nil }, tt.args...); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got.Producer.TransactionalID != tt.id || got.Producer.TransactionTimeout != tt.timeout || got.TransactionSize != tt.size {
			t.Errorf("%s: id %q timeout %v size %d", tt.name, got.Producer.TransactionalID, got.Producer.TransactionTimeout, got.TransactionSize)
		}
	}
}

func TestTransactionalUsageErrors(t *testing.T) {
	tests := []struct {
		args  []string
		props map[string]string
	}{
		{[]string{"-t", "t", "--transaction-size", "10"}, nil},
		{[]string{"-t", "t", "--transactional-id", "tx", "--transaction-size", "-1"}, nil},
		{[]string{"-t", "t", "--transactional-id", "tx", "--acks", "1"}, nil},
		{[]string{"-t", "t", "--transactional-id", "tx", "--idempotence=false"}, nil},
		{[]string{"-t", "t", "--transactional-id", "tx", "--transaction-timeout-ms", "0"}, nil},
		{[]string{"-t", "t"}, map[string]string{"transactional.id": "tx", "enable.idempotence": "false"}},
	}
	for _, tt := range tests {
		env := clitest.New(admintest.NewCluster())
		env.Properties = tt.props
		ran := false
		err := execute(env, func(context.Context, *Options) error { ran = true; return nil }, tt.args...)
		if clierr.Code(err) != clierr.CodeUsage || ran {
			t.Errorf("%q %v: err %v ran %v", tt.args, tt.props, err, ran)
		}
	}
}

func TestProduceInTransactions(t *testing.T) {
	tests := []struct {
		name             string
		input            string
		args             []string
		commits, records int
		summary          string
	}{
		{"one transaction", "a\nb\nc\n", nil, 1, 3, "Committed 1 transactions (3 records)"},
		{"every 2 records", "a\nb\nc\nd\ne\n", []string{"--transaction-size", "2"}, 3, 5, "Committed 3 transactions (5 records)"},
		{"exactly full", "a\nb\nc\nd\n", []string{"--transaction-size", "2"}, 2, 4, "Committed 2 transactions (4 records)"},
		{"no input", "", nil, 0, 0, "Committed 0 transactions (0 records)"},
	}
	for _, tt := range tests {
		c := newCluster(t, 1)
		env := clitest.New(c)
		env.In.WriteString(tt.input)
		if err := execute(env, nil, append([]string{"-t", "t", "--transactional-id", "tx"}, tt.args...)...); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		commits, aborts, records, open := env.Producers[0].Transactions()
		if commits != tt.commits || aborts != 0 || records != tt.records || open {
			t.Errorf("%s: commits %d aborts %d records %d open %v", tt.name, commits, aborts, records, open)
		}
		if !strings.Contains(env.ErrOut.String(), tt.summary+"\n") {
			t.Errorf("%s: stderr %q", tt.name, env.ErrOut)
		}
		// Every transaction ends with a marker after its records.
		if got := len(c.Records("t", 0)); got != tt.records+tt.commits {
			t.Errorf("%s: %d records and markers in the log, want %d", tt.name, got, tt.records+tt.commits)
		}
	}
}

func TestTransactionAbortedOnFailure(t *testing.T) {
	tests := []struct {
		name string
		op   string
		err  error
	}{
		{"a record fails", "Produce", kerr.MessageTooLarge},
		{"the commit fails", "CommitTransaction", kerr.InvalidProducerEpoch},
		{"the transaction cannot begin", "BeginTransaction", kerr.TransactionalIDAuthorizationFailed},
	}
	for _, tt := range tests {
		c := newCluster(t, 1)
		c.Fail(tt.op, tt.err)
		env := clitest.New(c)
		env.In.WriteString("a\nb\n")
		err := execute(env, nil, "-t", "t", "--transactional-id", "tx")
		if err == nil || !errors.Is(err, tt.err) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.err)
		}
		commits, aborts, _, open := env.Producers[0].Transactions()
		wantAborts := 1
		if tt.op == "BeginTransaction" {
			wantAborts = 0 // nothing was begun
		}
		if commits != 0 || aborts != wantAborts || open {
			t.Errorf("%s: commits %d aborts %d open %v", tt.name, commits, aborts, open)
		}
		if !strings.Contains(env.ErrOut.String(), "Committed 0 transactions (0 records)") {
			t.Errorf("%s: stderr %q", tt.name, env.ErrOut)
		}
	}
}

func TestTransactionAbortedOnInterrupt(t *testing.T) {
	c := newCluster(t, 1)
	env := clitest.New(c)
	in, feed := io.Pipe()
	env.Factory.IOStreams.In = in
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := &Options{IO: env.Factory.IOStreams, NewProducer: env.Factory.NewProducer, Topic: "t",
		Partition: admin.AnyPartition, Format: DefaultLineFormat(), MaxRecordBytes: 100,
		Producer: admin.ProducerConfig{Acks: admin.AcksAll, Idempotent: true, TransactionalID: "tx"}}
	done := make(chan error, 1)
	go func() { done <- produceRun(ctx, opts) }()
	if _, err := feed.Write([]byte("a\nb\n")); err != nil {
		t.Fatal(err)
	}
	for len(c.Records("t", 0)) < 2 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, clierr.ErrInterrupted) {
			t.Fatalf("got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Ctrl-C did not end the produce")
	}
	commits, aborts, _, open := env.Producers[0].Transactions()
	if commits != 0 || aborts != 1 || open {
		t.Errorf("commits %d aborts %d open %v", commits, aborts, open)
	}
	if !strings.Contains(env.ErrOut.String(), "aborted the last one (2 records)") {
		t.Errorf("stderr %q", env.ErrOut)
	}
}
