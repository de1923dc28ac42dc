package reassign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

func execute(env *clitest.Env, runF func(context.Context, *Options) error, args ...string) error {
	cmd := NewCmdReassign(env.Factory, runF)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(context.Background())
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.json")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const planJSON = `{"version":1,"partitions":[{"topic":"t","partition":1,"replicas":[2,3],"log_dirs":["any","any"]},{"topic":"t","partition":0,"replicas":[3,4]}]}`

func TestArgsToOptions(t *testing.T) {
	plan := writeFile(t, planJSON)
	topics := writeFile(t, `{"version":1,"topics":[{"topic":"a"},{"topic":"b"}]}`)
	wantPlan := []admin.PartitionReplicas{{Topic: "t", Partition: 1, Replicas: []int32{2, 3}}, {Topic: "t", Partition: 0, Replicas: []int32{3, 4}}}
	tests := []struct {
		args  []string
		check func(*Options) bool
	}{
		{[]string{"--generate", "--topics-to-move-json-file", topics, "--broker-list", "3,1,2"}, func(o *Options) bool {
			return o.Action == generateAction && slices.Equal(o.Topics, []string{"a", "b"}) && slices.Equal(o.Brokers, []int32{3, 1, 2})
		}},
		{[]string{"--generate", "--topics-to-move-json-file", topics, "--broker-list", "1", "--disable-rack-aware"}, func(o *Options) bool {
			return o.DisableRackAware
		}},
		{[]string{"--execute", "--reassignment-json-file", plan, "--additional", "--throttle", "1000"}, func(o *Options) bool {
			return o.Action == executeAction && o.Additional && o.Throttle == 1000 && equalPlans(o.Plan, wantPlan)
		}},
		{[]string{"--verify", "--reassignment-json-file", plan}, func(o *Options) bool { return o.Action == verifyAction && o.Throttle == -1 }},
		{[]string{"--cancel", "--reassignment-json-file", plan, "--preserve-throttles"}, func(o *Options) bool { return o.Action == cancelAction }},
		{[]string{"--list"}, func(o *Options) bool { return o.Action == listAction && o.Plan == nil }},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:1], " "), func(t *testing.T) {
			var got *Options
			if err := execute(clitest.New(admintest.NewCluster()), func(_ context.Context, o *Options) error { got = o; return nil }, tt.args...); err != nil {
				t.Fatal(err)
			}
			if !tt.check(got) {
				t.Fatalf("%v: options %+v", tt.args, got)
			}
		})
	}
}

func equalPlans(a, b []admin.PartitionReplicas) bool {
	return slices.EqualFunc(a, b, func(x, y admin.PartitionReplicas) bool {
		return x.Topic == y.Topic && x.Partition == y.Partition && slices.Equal(x.Replicas, y.Replicas)
	})
}

func TestUsageErrors(t *testing.T) {
	plan := writeFile(t, planJSON)
	tests := [][]string{
		{},
		{"--execute", "--verify", "--reassignment-json-file", plan},
		{"--execute"},
		{"--generate", "--broker-list", "1,2"},
		{"--generate", "--topics-to-move-json-file", plan},
		{"--list", "--reassignment-json-file", plan},
		{"--verify", "--reassignment-json-file", plan, "--broker-list", "1"},
		{"--execute", "--reassignment-json-file", plan, "--disable-rack-aware"},
		{"--generate", "--topics-to-move-json-file", plan, "--broker-list", "1,x"},
	}
	for _, args := range tests {
		err := execute(clitest.New(admintest.NewCluster()), func(context.Context, *Options) error { return nil }, args...)
		if clierr.Code(err) != clierr.CodeUsage {
			t.Errorf("%v: got %v (code %d), want a usage error", args, err, clierr.Code(err))
		}
	}
}

func TestBadFiles(t *testing.T) {
	tests := map[string][]string{
		"plan not json":      {"--verify", "--reassignment-json-file", writeFile(t, `{"partitions":`)},
		"plan version 2":     {"--verify", "--reassignment-json-file", writeFile(t, `{"version":2,"partitions":[]}`)},
		"entry without part": {"--verify", "--reassignment-json-file", writeFile(t, `{"partitions":[{"topic":"t","replicas":[1]}]}`)},
		"log dirs length":    {"--verify", "--reassignment-json-file", writeFile(t, `{"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any"]}]}`)},
		"a real log dir":     {"--verify", "--reassignment-json-file", writeFile(t, `{"partitions":[{"topic":"t","partition":0,"replicas":[1],"log_dirs":["/data"]}]}`)},
		"topics no list":     {"--generate", "--broker-list", "1", "--topics-to-move-json-file", writeFile(t, `{"version":1}`)},
		"topics duplicate":   {"--generate", "--broker-list", "1", "--topics-to-move-json-file", writeFile(t, `{"topics":[{"topic":"a"},{"topic":"a"}]}`)},
		"brokers duplicate":  {"--generate", "--broker-list", "1,2,1", "--topics-to-move-json-file", writeFile(t, `{"topics":[{"topic":"a"}]}`)},
	}
	for name, args := range tests {
		err := execute(clitest.New(admintest.NewCluster()), func(context.Context, *Options) error { return nil }, args...)
		if clierr.Code(err) != clierr.CodeFailure {
			t.Errorf("%s: got %v (code %d), want a failure", name, err, clierr.Code(err))
		}
	}
}

// fakeAdmin is a cluster of brokers 1-4 whose topic t has partitions 0
// and 1, with reassignments answered from fixed results.
type fakeAdmin struct {
	brokers  []admin.Broker
	topics   []admin.Topic
	ongoing  []admin.PartitionReassignment
	results  []admin.ReassignResult
	altered  []admin.PartitionReplicas
	listArgs []map[string][]int32
	configs  []string // "<resource> <op> name=value" per AlterConfigs change
}

func (f *fakeAdmin) AlterConfigs(_ context.Context, res admin.Resource, changes []admin.ConfigChange) error {
	for _, c := range changes {
		f.configs = append(f.configs, fmt.Sprintf("%s %d %s=%s", res, c.Op, c.Name, c.Value))
	}
	return nil
}

func newFake() *fakeAdmin {
	return &fakeAdmin{
		brokers: []admin.Broker{{ID: 1}, {ID: 2}, {ID: 3}, {ID: 4}},
		topics: []admin.Topic{{Name: "t", Partitions: []admin.Partition{
			{ID: 0, Replicas: []int32{1, 2}}, {ID: 1, Replicas: []int32{2, 3}},
		}}},
	}
}

func (f *fakeAdmin) Topics(_ context.Context, names ...string) ([]admin.Topic, error) {
	var out []admin.Topic
	for _, n := range names {
		i := slices.IndexFunc(f.topics, func(t admin.Topic) bool { return t.Name == n })
		if i < 0 {
			out = append(out, admin.Topic{Name: n, Err: kerr.UnknownTopicOrPartition})
			continue
		}
		out = append(out, f.topics[i])
	}
	return out, nil
}

func (f *fakeAdmin) Cluster(context.Context) (admin.Cluster, error) {
	return admin.Cluster{Controller: 1, Brokers: f.brokers}, nil
}

func (f *fakeAdmin) AlterPartitionReassignments(_ context.Context, targets []admin.PartitionReplicas) ([]admin.ReassignResult, error) {
	f.altered = targets
	if f.results != nil {
		return f.results, nil
	}
	var out []admin.ReassignResult
	for _, t := range targets {
		out = append(out, admin.ReassignResult{Topic: t.Topic, Partition: t.Partition})
	}
	return out, nil
}

func (f *fakeAdmin) ListPartitionReassignments(_ context.Context, parts map[string][]int32) ([]admin.PartitionReassignment, error) {
	f.listArgs = append(f.listArgs, parts)
	return f.ongoing, nil
}

func run(t *testing.T, f *fakeAdmin, opts *Options) (stdout, stderr string, err error) {
	t.Helper()
	env := clitest.New(admintest.NewCluster())
	opts.IO = env.Factory.IOStreams
	if opts.Output == "" {
		opts.Output = output.Table
	}
	opts.Admin = func() (reassignAdmin, error) { return f, nil }
	if opts.Throttle == 0 {
		opts.Throttle = -1
	}
	if opts.LogDirsThrottle == 0 {
		opts.LogDirsThrottle = -1
	}
	err = reassignRun(context.Background(), opts)
	return env.Out.String(), env.ErrOut.String(), err
}

var plan = []admin.PartitionReplicas{{Topic: "t", Partition: 1, Replicas: []int32{3, 4}}, {Topic: "t", Partition: 0, Replicas: []int32{2, 3}}}

func TestExecute(t *testing.T) {
	f := newFake()
	out, errOut, err := run(t, f, &Options{Action: executeAction, Plan: plan, Throttle: 5000})
	if err != nil {
		t.Fatal(err)
	}
	want := "Current partition replica assignment\n\n" +
		`{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any","any"]},{"topic":"t","partition":1,"replicas":[2,3],"log_dirs":["any","any"]}]}` +
		"\n\nSave this to use as the --reassignment-json-file option during rollback\n" +
		verifyPeriodically + "\n" +
		"The inter-broker throttle limit was set to 5000 B/s\n" +
		"Successfully started partition reassignments for t-0,t-1\n"
	if out != want || errOut != "" {
		t.Fatalf("stdout:\n%s\nwant:\n%s\nstderr %q", out, want, errOut)
	}
	// Kafka's throttles: the current replicas of each moving partition on
	// the leader side, the added ones on the follower side, the rate on
	// every broker taking part.
	wantConfigs := []string{
		"topic t 0 leader.replication.throttled.replicas=0:1,0:2,1:2,1:3",
		"topic t 0 follower.replication.throttled.replicas=0:3,1:4",
	}
	for _, b := range []string{"1", "2", "3", "4"} {
		wantConfigs = append(wantConfigs, "broker "+b+" 0 leader.replication.throttled.rate=5000", "broker "+b+" 0 follower.replication.throttled.rate=5000")
	}
	if !slices.Equal(f.configs, wantConfigs) {
		t.Fatalf("configs set:\n%s\nwant:\n%s", strings.Join(f.configs, "\n"), strings.Join(wantConfigs, "\n"))
	}
	if !equalPlans(f.altered, plan) {
		t.Fatalf("altered %v", f.altered)
	}
}

func TestExecuteRefusals(t *testing.T) {
	tests := []struct {
		name    string
		fake    func(*fakeAdmin)
		opts    Options
		code    int
		message string
	}{
		{"reassignments in progress", func(f *fakeAdmin) { f.ongoing = []admin.PartitionReassignment{{Topic: "t", Partition: 0}} },
			Options{Plan: plan}, clierr.CodeFailure, "Cannot execute because there is an existing partition assignment"},
		{"unknown broker", nil, Options{Plan: []admin.PartitionReplicas{{Topic: "t", Partition: 0, Replicas: []int32{1, 9}}}},
			clierr.CodeFailure, "unknown broker id 9"},
		{"unknown partition", nil, Options{Plan: []admin.PartitionReplicas{{Topic: "t", Partition: 7, Replicas: []int32{1}}}},
			clierr.CodeNotFound, "unable to find partition: t-7"},
		{"unknown topic", nil, Options{Plan: []admin.PartitionReplicas{{Topic: "nope", Partition: 0, Replicas: []int32{1}}}},
			clierr.CodeNotFound, "nope"},
		{"duplicate replicas", nil, Options{Plan: []admin.PartitionReplicas{{Topic: "t", Partition: 0, Replicas: []int32{1, 1}}}},
			clierr.CodeFailure, "t-0 contains multiple entries for 1"},
		{"empty plan", nil, Options{Plan: []admin.PartitionReplicas{}}, clierr.CodeFailure, "cannot be empty"},
		{"refused by the controller", func(f *fakeAdmin) {
			f.results = []admin.ReassignResult{{Topic: "t", Partition: 0, Err: fmt.Errorf("%w (Replica assignment has brokers that are not alive)", kerr.InvalidReplicaAssignment)}, {Topic: "t", Partition: 1}}
		}, Options{Plan: plan}, clierr.CodeFailure, "Error reassigning partition(s):\nt-0: INVALID_REPLICA_ASSIGNMENT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			if tt.fake != nil {
				tt.fake(f)
			}
			tt.opts.Action = executeAction
			_, errOut, err := run(t, f, &tt.opts)
			if clierr.Code(err) != tt.code || !strings.Contains(fmt.Sprint(err)+errOut, tt.message) {
				t.Fatalf("got %v (code %d), stderr %q; want code %d and %q", err, clierr.Code(err), errOut, tt.code, tt.message)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	f := newFake()
	f.ongoing = []admin.PartitionReassignment{{Topic: "t", Partition: 1, Replicas: []int32{3, 4, 2}, AddingReplicas: []int32{3, 4}, RemovingReplicas: []int32{2}}}
	p := []admin.PartitionReplicas{{Topic: "t", Partition: 1, Replicas: []int32{3, 4}}, {Topic: "t", Partition: 0, Replicas: []int32{1, 2}}}
	out, _, err := run(t, f, &Options{Action: verifyAction, Plan: p})
	if err != nil {
		t.Fatalf("verify exits 0 while in progress, as Kafka: %v", err)
	}
	want := "Status of partition reassignment:\nReassignment of partition t-0 is completed.\nReassignment of partition t-1 is still in progress.\n"
	if out != want {
		t.Fatalf("stdout:\n%s\nwant:\n%s", out, want)
	}
	f.ongoing = nil
	p[0].Replicas = []int32{4, 1}
	out, _, _ = run(t, f, &Options{Action: verifyAction, Plan: p[:1], Output: output.JSON})
	var got struct{ Partitions []partitionStatus }
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Partitions) != 1 || got.Partitions[0].Status != statusDiverged {
		t.Fatalf("json %s (%v)", out, err)
	}
}

func TestCancelAndList(t *testing.T) {
	f := newFake()
	out, _, err := run(t, f, &Options{Action: cancelAction, Plan: plan})
	if err != nil || out != "None of the specified partition reassignments are active.\n" || f.altered != nil {
		t.Fatalf("nothing to cancel: %q %v, altered %v", out, err, f.altered)
	}
	f.ongoing = []admin.PartitionReassignment{{Topic: "t", Partition: 1, Replicas: []int32{3, 4, 2, 3}, AddingReplicas: []int32{4}, RemovingReplicas: []int32{2}}}
	out, _, err = run(t, f, &Options{Action: cancelAction, Plan: plan})
	if err != nil || out != "Successfully cancelled partition reassignment for: t-1\n" {
		t.Fatalf("cancel: %q %v", out, err)
	}
	if len(f.altered) != 1 || f.altered[0].Replicas != nil {
		t.Fatalf("cancel asked %v, want t-1 with null replicas", f.altered)
	}
	out, _, err = run(t, f, &Options{Action: listAction})
	want := "Current partition reassignments:\nt-1: replicas: 3,4,2,3. adding: 4. removing: 2.\n"
	if err != nil || out != want || f.listArgs[len(f.listArgs)-1] != nil {
		t.Fatalf("list: %q %v, want %q", out, err, want)
	}
	f.ongoing = nil
	if out, _, _ := run(t, f, &Options{Action: listAction}); out != "No partition reassignments found.\n" {
		t.Fatalf("empty list: %q", out)
	}
}

func TestGenerate(t *testing.T) {
	f := newFake()
	f.topics = append(f.topics, admin.Topic{Name: "u", Partitions: []admin.Partition{{ID: 0, Replicas: []int32{1}}}})
	out, _, err := run(t, f, &Options{Action: generateAction, Topics: []string{"t", "u"}, Brokers: []int32{3, 4, 7}, Rand: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(out, "\n")
	if len(parts) != 6 || parts[0] != "Current partition replica assignment" || parts[3] != "Proposed partition reassignment configuration" {
		t.Fatalf("stdout:\n%s", out)
	}
	current, err := parsePlan([]byte(parts[1]))
	if err != nil || len(current) != 3 {
		t.Fatalf("current %v %v", current, err)
	}
	proposed, err := parsePlan([]byte(parts[4]))
	if err != nil || len(proposed) != 3 {
		t.Fatalf("proposed %v %v", proposed, err)
	}
	for _, p := range proposed {
		wantRF := 2
		if p.Topic == "u" {
			wantRF = 1
		}
		if len(p.Replicas) != wantRF || slices.ContainsFunc(p.Replicas, func(id int32) bool { return id != 3 && id != 4 }) {
			t.Fatalf("proposed %v: want RF %d on brokers 3 and 4 only (7 is unknown)", p, wantRF)
		}
	}
	_, _, err = run(t, f, &Options{Action: generateAction, Topics: []string{"t"}, Brokers: []int32{4}})
	if err == nil || !strings.Contains(err.Error(), "larger than available brokers") {
		t.Fatalf("RF 2 over one broker: %v", err)
	}
	f.brokers[0].Rack = "r1"
	_, _, err = run(t, f, &Options{Action: generateAction, Topics: []string{"t"}, Brokers: []int32{1, 2}})
	if err == nil || !strings.Contains(err.Error(), "rack") {
		t.Fatalf("mixed racks: %v", err)
	}
	if _, _, err := run(t, f, &Options{Action: generateAction, Topics: []string{"t"}, Brokers: []int32{1, 2}, DisableRackAware: true}); err != nil {
		t.Fatalf("mixed racks with --disable-rack-aware: %v", err)
	}
	if _, _, err := run(t, f, &Options{Action: generateAction, Topics: []string{"nope"}, Brokers: []int32{1}}); !errors.Is(err, kerr.UnknownTopicOrPartition) {
		t.Fatalf("unknown topic: %v", err)
	}
}

// TestVerifyClearsThrottles: once nothing of the plan moves, --verify
// removes every broker's throttle rates and the plan's topics' throttled
// replicas, as Kafka; not while a partition still moves, nor with
// --preserve-throttles.
func TestVerifyClearsThrottles(t *testing.T) {
	done := []admin.PartitionReplicas{{Topic: "t", Partition: 0, Replicas: []int32{1, 2}}}
	tests := []struct {
		name     string
		ongoing  []admin.PartitionReassignment
		preserve bool
		cleared  bool
	}{
		{"done", nil, false, true},
		{"still moving", []admin.PartitionReassignment{{Topic: "t", Partition: 0, Replicas: []int32{1, 2, 3}}}, false, false},
		{"preserved", nil, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			f.ongoing = tt.ongoing
			out, _, err := run(t, f, &Options{Action: verifyAction, Plan: done, PreserveThrottles: tt.preserve})
			if err != nil {
				t.Fatal(err)
			}
			lines := "Clearing broker-level throttles on brokers 1,2,3,4\nClearing topic-level throttles on topic t\n"
			if got := strings.HasSuffix(out, lines); got != tt.cleared || (len(f.configs) == 14) != tt.cleared {
				t.Fatalf("stdout %q, configs %v; want cleared %v", out, f.configs, tt.cleared)
			}
			if tt.cleared && (f.configs[0] != "broker 1 1 leader.replication.throttled.rate=" || f.configs[13] != "topic t 1 follower.replication.throttled.replicas=") {
				t.Fatalf("configs deleted: %v", f.configs)
			}
		})
	}
}
