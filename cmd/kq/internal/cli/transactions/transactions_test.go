package transactions

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// captured records the options a verb was called with.
type captured struct {
	list      *ListOptions
	describe  *DescribeOptions
	producers *ProducersOptions
	abort     *AbortOptions
	hanging   *HangingOptions
}

func (c *captured) runners() *Runners {
	return &Runners{
		List:              func(_ context.Context, o *ListOptions) error { c.list = o; return nil },
		Describe:          func(_ context.Context, o *DescribeOptions) error { c.describe = o; return nil },
		DescribeProducers: func(_ context.Context, o *ProducersOptions) error { c.producers = o; return nil },
		Abort:             func(_ context.Context, o *AbortOptions) error { c.abort = o; return nil },
		FindHanging:       func(_ context.Context, o *HangingOptions) error { c.hanging = o; return nil },
	}
}

// run executes `kq transactions ARGS` on env, with runners (nil: real runs).
func run(env *clitest.Env, r *Runners, args ...string) error {
	cmd := NewCmdTransactions(env.Factory, r)
	cmd.SetArgs(args)
	cmd.SetOut(env.ErrOut)
	cmd.SetErr(env.ErrOut)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(context.Background())
}

func parse(t *testing.T, args ...string) *captured {
	t.Helper()
	c := &captured{}
	if err := run(clitest.New(admintest.NewCluster()), c.runners(), args...); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return c
}

func TestArgsToOptions(t *testing.T) {
	tests := []struct {
		args  []string
		check func(c *captured) bool
	}{
		{[]string{"list"}, func(c *captured) bool { return reflect.DeepEqual(c.list.Filter, admin.TransactionFilter{}) }},
		{[]string{"list", "--duration-filter", "60000", "--state", "Ongoing,PrepareAbort", "--producer-id", "3", "--producer-id", "4"},
			func(c *captured) bool {
				return reflect.DeepEqual(c.list.Filter, admin.TransactionFilter{States: []string{"Ongoing", "PrepareAbort"}, ProducerIDs: []int64{3, 4}, DurationMs: 60000})
			}},
		{[]string{"list", "--duration-filter", "-1"}, func(c *captured) bool { return c.list.Filter.DurationMs == 0 }},
		{[]string{"describe", "--transactional-id", "tx"}, func(c *captured) bool { return c.describe.TransactionalID == "tx" }},
		{[]string{"describe", "tx"}, func(c *captured) bool { return c.describe.TransactionalID == "tx" }},
		{[]string{"describe-producers", "--topic", "t", "--partition", "2"},
			func(c *captured) bool {
				p := c.producers
				return p.Topic == "t" && p.Partition == 2 && p.BrokerID == -1
			}},
		{[]string{"describe-producers", "--topic", "t", "--partition", "0", "--broker-id", "3"},
			func(c *captured) bool { return c.producers.BrokerID == 3 }},
		{[]string{"abort", "--topic", "t", "--partition", "1", "--start-offset", "42"},
			func(c *captured) bool {
				return c.abort.Spec == admin.AbortSpec{Topic: "t", Partition: 1, StartOffset: 42}
			}},
		{[]string{"abort", "--topic", "t", "--partition", "1", "--producer-id", "7", "--producer-epoch", "2", "--coordinator-epoch", "5"},
			func(c *captured) bool {
				return c.abort.Spec == admin.AbortSpec{Topic: "t", Partition: 1, ProducerID: 7, ProducerEpoch: 2, CoordinatorEpoch: 5, StartOffset: -1}
			}},
		{[]string{"abort", "--topic", "t", "--partition", "1", "--producer-id", "7", "--producer-epoch", "2", "--coordinator-epoch", "-1"},
			func(c *captured) bool { return c.abort.Spec.CoordinatorEpoch == 0 }},
		{[]string{"abort", "--topic", "t", "--partition", "1", "--start-offset", "9", "--producer-id", "7"},
			func(c *captured) bool { return c.abort.Spec.StartOffset == 9 && c.abort.Spec.ProducerID == 0 }},
		{[]string{"find-hanging", "--broker-id", "2"}, func(c *captured) bool {
			h := c.hanging
			return h.BrokerID == 2 && h.Topic == "" && h.Partition == -1 && h.MaxTimeout == 15*time.Minute
		}},
		{[]string{"find-hanging", "--topic", "t", "--partition", "0", "--max-transaction-timeout", "5"}, func(c *captured) bool {
			h := c.hanging
			return h.BrokerID == -1 && h.Topic == "t" && h.Partition == 0 && h.MaxTimeout == 5*time.Minute
		}},
	}
	for _, tt := range tests {
		if c := parse(t, tt.args...); !tt.check(c) {
			t.Errorf("%v: options not as expected: %+v", tt.args, *c)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := [][]string{
		{"describe"},
		{"describe", "a", "--transactional-id", "b"},
		{"describe-producers", "--partition", "0"},
		{"describe-producers", "--topic", "t"},
		{"abort", "--topic", "t", "--partition", "0"},
		{"abort", "--topic", "t", "--partition", "0", "--producer-id", "1"},
		{"abort", "--topic", "t", "--partition", "0", "--producer-id", "1", "--producer-epoch", "0"},
		{"abort", "--topic", "t", "--start-offset", "3"},
		{"abort", "--topic", "t", "--partition", "0", "--start-offset", "-3"},
		{"find-hanging"},
		{"find-hanging", "--partition", "0", "--broker-id", "1"},
		{"find-hanging", "--topic", "t", "--max-transaction-timeout", "0"},
	}
	for _, args := range tests {
		err := run(clitest.New(admintest.NewCluster()), (&captured{}).runners(), args...)
		if clierr.Code(err) != clierr.CodeUsage {
			t.Errorf("%v: got %v (code %d), want a usage error", args, err, clierr.Code(err))
		}
	}
}

// newCluster is brokers 1-3 with topic "t" (2 partitions, leader 1 and 2).
func newCluster(t *testing.T) *admintest.Cluster {
	t.Helper()
	c := admintest.NewCluster(1, 2, 3)
	if _, err := c.CreateTopic(context.Background(), admin.TopicSpec{Name: "t", Assignment: [][]int32{{1, 2}, {2, 3}},
		Partitions: admin.BrokerDefault, ReplicationFactor: admin.BrokerDefault}); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestListTable(t *testing.T) {
	c := newCluster(t)
	c.SetTransaction(admin.Transaction{TransactionalID: "payments", Coordinator: 2, State: "Ongoing", ProducerID: 1001})
	c.SetTransaction(admin.Transaction{TransactionalID: "a", Coordinator: 1, State: "CompleteCommit", ProducerID: 7})
	env := clitest.New(c)
	if err := run(env, nil, "list"); err != nil {
		t.Fatal(err)
	}
	want := "TransactionalId\tCoordinator\tProducerId\tTransactionState\t\n" +
		"a              \t1          \t7         \tCompleteCommit  \t\n" +
		"payments       \t2          \t1001      \tOngoing         \t\n"
	if got := env.Out.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	env = clitest.New(c)
	if err := run(env, nil, "list", "--state", "Ongoing"); err != nil {
		t.Fatal(err)
	}
	if got := env.Out.String(); strings.Contains(got, "CompleteCommit") || !strings.Contains(got, "payments") {
		t.Errorf("--state Ongoing:\n%s", got)
	}
}

func TestListStructured(t *testing.T) {
	c := newCluster(t)
	c.SetTransaction(admin.Transaction{TransactionalID: "x", Coordinator: 3, State: "Empty", ProducerID: 5})
	env := clitest.New(c)
	env.Opts.Output = output.JSON
	if err := run(env, nil, "list"); err != nil {
		t.Fatal(err)
	}
	var got []admin.TransactionListing
	if err := json.Unmarshal(env.Out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, env.Out)
	}
	if want := []admin.TransactionListing{{TransactionalID: "x", ProducerID: 5, State: "Empty", Coordinator: 3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	env = clitest.New(admintest.NewCluster())
	env.Opts.Output = output.YAML
	if err := run(env, nil, "list"); err != nil || env.Out.String() != "[]\n" {
		t.Errorf("empty YAML list: %q, %v", env.Out, err)
	}
}

func TestDescribe(t *testing.T) {
	c := newCluster(t)
	start := clitest.Now.Add(-90 * time.Second).UnixMilli()
	c.SetTransaction(admin.Transaction{TransactionalID: "payments", Coordinator: 2, State: "Ongoing", ProducerID: 1001,
		ProducerEpoch: 3, TimeoutMs: 60000, StartTimestamp: start,
		Partitions: []admin.TopicPartitions{{Topic: "t", Partitions: []int32{0, 1}}, {Topic: "u", Partitions: []int32{4}}}})
	c.SetTransaction(admin.Transaction{TransactionalID: "idle", Coordinator: 1, State: "Empty", ProducerID: 9, TimeoutMs: 60000, StartTimestamp: -1})
	env := clitest.New(c)
	if err := run(env, nil, "describe", "--transactional-id", "payments"); err != nil {
		t.Fatal(err)
	}
	want := "CoordinatorId\tTransactionalId\tProducerId\tProducerEpoch\tTransactionState\tTransactionTimeoutMs\tCurrentTransactionStartTimeMs\tTransactionDurationMs\tTopicPartitions\t\n" +
		"2            \tpayments       \t1001      \t3            \tOngoing         \t60000               \t" +
		pad(itoa(start), len("CurrentTransactionStartTimeMs")) + "\t90000                \tt-0,t-1,u-4    \t\n"
	if got := env.Out.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	env = clitest.New(c)
	if err := run(env, nil, "describe", "idle"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(env.Out.String(), "\n")[1]; !strings.Contains(got, "\tNone                         \tNone                 \t               \t") {
		t.Errorf("no ongoing transaction should show None:\n%q", got)
	}
	env = clitest.New(c)
	env.Opts.Output = output.JSON
	if err := run(env, nil, "describe", "payments"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(env.Out.String(), `"transactional_id": "payments"`) || !strings.Contains(env.Out.String(), `"topic": "u"`) {
		t.Errorf("JSON:\n%s", env.Out)
	}
}

func TestDescribeUnknownIsNotFound(t *testing.T) {
	err := run(clitest.New(newCluster(t)), nil, "describe", "--transactional-id", "nope")
	if clierr.Code(err) != clierr.CodeNotFound || !strings.Contains(err.Error(), "transactional-id `nope`") {
		t.Errorf("got %v (code %d), want not found", err, clierr.Code(err))
	}
}

func TestDescribeProducers(t *testing.T) {
	c := newCluster(t)
	c.SetProducers("t", 0,
		admin.ProducerState{ProducerID: 12, ProducerEpoch: 0, LastSequence: 99, LastTimestamp: 1700000000000, CoordinatorEpoch: -1, CurrentTransactionStartOffset: -1},
		admin.ProducerState{ProducerID: 5, ProducerEpoch: 2, LastSequence: 4, LastTimestamp: 1700000000001, CoordinatorEpoch: 7, CurrentTransactionStartOffset: 40},
	)
	env := clitest.New(c)
	if err := run(env, nil, "describe-producers", "--topic", "t", "--partition", "0"); err != nil {
		t.Fatal(err)
	}
	want := "ProducerId\tProducerEpoch\tLatestCoordinatorEpoch\tLastSequence\tLastTimestamp\tCurrentTransactionStartOffset\t\n" +
		"5         \t2            \t7                     \t4           \t1700000000001\t40                           \t\n" +
		"12        \t0            \t-1                    \t99          \t1700000000000\tNone                         \t\n"
	if got := env.Out.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	// Broker 3 holds no replica of t-0.
	err := run(clitest.New(c), nil, "describe-producers", "--topic", "t", "--partition", "0", "--broker-id", "3")
	if err == nil || !strings.Contains(err.Error(), "on broker 3") {
		t.Errorf("a broker without a replica: got %v", err)
	}
	err = run(clitest.New(c), nil, "describe-producers", "--topic", "nope", "--partition", "0")
	if clierr.Code(err) != clierr.CodeNotFound {
		t.Errorf("unknown topic: got %v (code %d)", err, clierr.Code(err))
	}
}

func TestAbortByStartOffset(t *testing.T) {
	c := newCluster(t)
	c.SetProducers("t", 1, admin.ProducerState{ProducerID: 5, ProducerEpoch: 2, CoordinatorEpoch: -1, CurrentTransactionStartOffset: 40})
	env := clitest.New(c)
	if err := run(env, nil, "abort", "--topic", "t", "--partition", "1", "--start-offset", "40"); err != nil {
		t.Fatal(err)
	}
	want := []admin.AbortSpec{{Topic: "t", Partition: 1, ProducerID: 5, ProducerEpoch: 2, CoordinatorEpoch: 0, StartOffset: 40}}
	if got := c.Aborted(); !reflect.DeepEqual(got, want) {
		t.Errorf("aborted %+v, want %+v", got, want)
	}
	if env.Out.Len() != 0 {
		t.Errorf("abort printed %q", env.Out)
	}
	err := run(clitest.New(c), nil, "abort", "--topic", "t", "--partition", "1", "--start-offset", "40")
	if clierr.Code(err) != clierr.CodeNotFound || !strings.Contains(err.Error(), "could not find any open transactions starting at offset 40") {
		t.Errorf("aborting again: got %v (code %d)", err, clierr.Code(err))
	}
}

func TestAbortByProducer(t *testing.T) {
	c := newCluster(t)
	c.SetProducers("t", 0, admin.ProducerState{ProducerID: 5, ProducerEpoch: 2, CurrentTransactionStartOffset: 3})
	err := run(clitest.New(c), nil, "abort", "--topic", "t", "--partition", "0", "--producer-id", "5", "--producer-epoch", "1", "--coordinator-epoch", "0")
	if err == nil || !strings.Contains(err.Error(), "INVALID_PRODUCER_EPOCH") {
		t.Errorf("an old epoch: got %v", err)
	}
	if err := run(clitest.New(c), nil, "abort", "--topic", "t", "--partition", "0", "--producer-id", "5", "--producer-epoch", "2", "--coordinator-epoch", "0"); err != nil {
		t.Fatal(err)
	}
	if got := c.Aborted(); len(got) != 1 || got[0].ProducerID != 5 {
		t.Errorf("aborted %+v", got)
	}
}

func TestFindHanging(t *testing.T) {
	c := newCluster(t)
	now := time.Now()
	old := now.Add(-20 * time.Minute).UnixMilli()
	c.SetProducers("t", 0,
		admin.ProducerState{ProducerID: 5, ProducerEpoch: 1, CoordinatorEpoch: 3, LastTimestamp: old, CurrentTransactionStartOffset: 40}, // forgotten: hanging
		admin.ProducerState{ProducerID: 6, LastTimestamp: old, CurrentTransactionStartOffset: 41},                                        // its coordinator has t-0: not hanging
		admin.ProducerState{ProducerID: 8, LastTimestamp: now.UnixMilli(), CurrentTransactionStartOffset: 50},                            // too recent
	)
	c.SetProducers("t", 1, admin.ProducerState{ProducerID: 7, LastTimestamp: old, CoordinatorEpoch: -1, CurrentTransactionStartOffset: 0}) // on brokers 2, 3
	c.SetTransaction(admin.Transaction{TransactionalID: "six", State: "Ongoing", ProducerID: 6,
		Partitions: []admin.TopicPartitions{{Topic: "t", Partitions: []int32{0}}}})
	env := clitest.New(c)
	env.Factory.Now = func() time.Time { return now }
	if err := run(env, nil, "find-hanging", "--broker-id", "1"); err != nil {
		t.Fatal(err)
	}
	want := "Topic\tPartition\tProducerId\tProducerEpoch\tCoordinatorEpoch\tStartOffset\tLastTimestamp\tDuration(min)\t\n" +
		"t    \t0        \t5         \t1            \t3               \t40         \t" + itoa(old) + "\t20           \t\n"
	if got := env.Out.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	env = clitest.New(c)
	env.Opts.Output = output.JSON
	if err := run(env, nil, "find-hanging", "--topic", "t"); err != nil {
		t.Fatal(err)
	}
	var got []admin.HangingTransaction
	if err := json.Unmarshal(env.Out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ProducerID != 5 || got[1].ProducerID != 7 || got[1].StartOffset != 0 {
		t.Errorf("--topic t: %+v", got)
	}
	env = clitest.New(c)
	if err := run(env, nil, "find-hanging", "--topic", "t", "--partition", "1", "--max-transaction-timeout", "30"); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(env.Out.String(), "\n"); lines != 1 {
		t.Errorf("a 30 minute timeout should find nothing:\n%s", env.Out)
	}
}

func TestClusterErrorsAreWrapped(t *testing.T) {
	c := newCluster(t)
	c.Fail("ListTransactions", errors.New("boom"))
	err := run(clitest.New(c), nil, "list")
	if err == nil || !strings.Contains(err.Error(), "failed to list transactions: boom") || clierr.Code(err) != clierr.CodeFailure {
		t.Errorf("got %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func pad(s string, w int) string { return s + strings.Repeat(" ", w-len(s)) }
