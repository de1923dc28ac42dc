package leaderelection

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

func execute(env *clitest.Env, runF func(context.Context, *Options) error, args ...string) error {
	cmd := NewCmdLeaderElection(env.Factory, runF)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(context.Background())
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "partitions.json")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestArgsToOptions(t *testing.T) {
	file := writeFile(t, `{"partitions":[{"topic":"a","partition":1},{"topic":"b","partition":0},{"topic":"a","partition":0}]}`)
	tests := []struct {
		args     []string
		wantType admin.ElectionType
		want     map[string][]int32
	}{
		{[]string{"--election-type", "preferred", "--all-topic-partitions"}, admin.PreferredElection, nil},
		{[]string{"--election-type", "UNCLEAN", "--topic", "t", "--partition", "2"}, admin.UncleanElection, map[string][]int32{"t": {2}}},
		{[]string{"--election-type=Preferred", "--path-to-json-file", file}, admin.PreferredElection, map[string][]int32{"a": {1, 0}, "b": {0}}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.args), func(t *testing.T) {
			var got *Options
			if err := execute(clitest.New(admintest.NewCluster()), func(_ context.Context, o *Options) error { got = o; return nil }, tt.args...); err != nil {
				t.Fatal(err)
			}
			if got.Type != tt.wantType || (got.Partitions == nil) != (tt.want == nil) ||
				!maps.EqualFunc(got.Partitions, tt.want, slices.Equal[[]int32]) {
				t.Fatalf("got type %v partitions %v", got.Type, got.Partitions)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := [][]string{
		{"--all-topic-partitions"},
		{"--election-type", "random", "--all-topic-partitions"},
		{"--election-type", "preferred"},
		{"--election-type", "preferred", "--all-topic-partitions", "--topic", "t", "--partition", "0"},
		{"--election-type", "preferred", "--topic", "t"},
		{"--election-type", "preferred", "--partition", "0", "--all-topic-partitions"},
		{"--election-type", "preferred", "--topic", "t", "--partition", "-3"},
	}
	for _, args := range tests {
		err := execute(clitest.New(admintest.NewCluster()), func(context.Context, *Options) error { return nil }, args...)
		if clierr.Code(err) != clierr.CodeUsage {
			t.Errorf("%v: got %v (code %d), want a usage error", args, err, clierr.Code(err))
		}
	}
}

func TestBadPartitionsFile(t *testing.T) {
	tests := map[string]string{
		"not json":      `{"partitions":`,
		"no list":       `{"version":1}`,
		"no partition":  `{"partitions":[{"topic":"a"}]}`,
		"no topic":      `{"partitions":[{"partition":0}]}`,
		"duplicate":     `{"partitions":[{"topic":"a","partition":0},{"topic":"a","partition":0}]}`,
		"negative part": `{"partitions":[{"topic":"a","partition":-1}]}`,
	}
	for name, content := range tests {
		err := execute(clitest.New(admintest.NewCluster()), func(context.Context, *Options) error { return nil },
			"--election-type", "preferred", "--path-to-json-file", writeFile(t, content))
		if err == nil || clierr.Code(err) != clierr.CodeFailure {
			t.Errorf("%s: got %v, want a failure", name, err)
		}
	}
	err := execute(clitest.New(admintest.NewCluster()), nil, "--election-type", "preferred", "--path-to-json-file", "/nonexistent/x.json")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v", err)
	}
}

// fakeAdmin answers ElectLeaders with fixed results and records the call.
type fakeAdmin struct {
	results []admin.ElectionResult
	err     error
	typ     admin.ElectionType
	asked   map[string][]int32
}

func (f *fakeAdmin) ElectLeaders(_ context.Context, typ admin.ElectionType, partitions map[string][]int32) ([]admin.ElectionResult, error) {
	f.typ, f.asked = typ, partitions
	return f.results, f.err
}

func TestRun(t *testing.T) {
	notNeeded := fmt.Errorf("wrapped: %w", kerr.ElectionNotNeeded)
	results := []admin.ElectionResult{
		{Topic: "a", Partition: 0}, {Topic: "a", Partition: 1},
		{Topic: "b", Partition: 0, Err: notNeeded},
		{Topic: "c", Partition: 3, Err: kerr.PreferredLeaderNotAvailable},
	}
	tests := []struct {
		name     string
		results  []admin.ElectionResult
		format   output.Format
		wantOut  string
		wantErr  string
		wantCode int
	}{
		{"elected", results[:2], output.Table,
			"Successfully completed leader election (PREFERRED) for partitions a-0, a-1\n", "", 0},
		{"not needed", results[2:3], output.Table,
			"Valid replica already elected for partitions b-0\n", "", 0},
		{"nothing reported", nil, output.Table, "", "", 0},
		{"mixed", results, output.Table,
			"Successfully completed leader election (PREFERRED) for partitions a-0, a-1\nValid replica already elected for partitions b-0\n",
			"Error completing leader election (PREFERRED) for partition: c-3: " + kerr.PreferredLeaderNotAvailable.Error() + "\n", 1},
		{"json", results[2:], output.JSON,
			"{\n  \"election_type\": \"PREFERRED\",\n  \"elected\": [],\n  \"not_needed\": [\n    {\n      \"topic\": \"b\",\n      \"partition\": 0\n    }\n  ],\n  \"failed\": [\n    {\n      \"topic\": \"c\",\n      \"partition\": 3,\n      \"error\": \"" + kerr.PreferredLeaderNotAvailable.Error() + "\"\n    }\n  ]\n}\n",
			"", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := clitest.New(admintest.NewCluster())
			fake := &fakeAdmin{results: tt.results}
			opts := &Options{IO: env.Factory.IOStreams, Output: tt.format, Type: admin.PreferredElection,
				Admin: func() (electionAdmin, error) { return fake, nil }}
			err := electRun(context.Background(), opts)
			if clierr.Code(err) != tt.wantCode {
				t.Fatalf("error %v: code %d, want %d", err, clierr.Code(err), tt.wantCode)
			}
			if got := env.Out.String(); got != tt.wantOut {
				t.Errorf("stdout %q\nwant   %q", got, tt.wantOut)
			}
			if got := env.ErrOut.String(); got != tt.wantErr {
				t.Errorf("stderr %q\nwant   %q", got, tt.wantErr)
			}
		})
	}
}

func TestRunRequestError(t *testing.T) {
	env := clitest.New(admintest.NewCluster())
	fake := &fakeAdmin{err: context.DeadlineExceeded}
	opts := &Options{IO: env.Factory.IOStreams, Output: output.Table, Type: admin.UncleanElection,
		Partitions: map[string][]int32{"t": {1}}, Admin: func() (electionAdmin, error) { return fake, nil }}
	err := electRun(context.Background(), opts)
	if clierr.Code(err) != clierr.CodeUnavailable {
		t.Fatalf("got %v (code %d)", err, clierr.Code(err))
	}
	if fake.typ != admin.UncleanElection || !slices.Equal(fake.asked["t"], []int32{1}) {
		t.Fatalf("asked %v %v", fake.typ, fake.asked)
	}
}
