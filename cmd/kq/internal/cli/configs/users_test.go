package configs

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
)

func TestUsersSpellings(t *testing.T) {
	tests := []struct {
		name  string
		args  [][]string
		check func(t *testing.T, o *UsersOptions)
	}{
		{"alter", [][]string{
			{"--alter", "--entity-type", "users", "--entity-name", "alice", "--add-config", "SCRAM-SHA-256=[iterations=8192,password=alice-secret],SCRAM-SHA-512=[password=p,w]"},
			{"alter", "users", "alice", "--add-config", "SCRAM-SHA-256=[iterations=8192,password=alice-secret],SCRAM-SHA-512=[password=p,w]"},
		}, func(t *testing.T, o *UsersOptions) {
			want := []admin.ScramUpsert{{Mechanism: "SCRAM-SHA-256", Iterations: 8192, Password: "alice-secret"},
				{Mechanism: "SCRAM-SHA-512", Iterations: 4096, Password: "p,w"}}
			if o.User != "alice" || o.Describe || fmt.Sprint(o.Upserts) != fmt.Sprint(want) || o.ZooKeeper {
				t.Fatalf("%+v", o)
			}
		}},
		{"delete with zookeeper", [][]string{
			{"--alter", "--entity-type", "users", "--entity-name", "alice", "--delete-config", "SCRAM-SHA-256", "--zookeeper", "127.0.0.1:2181/kq"},
			{"alter", "users", "alice", "--delete-config", "SCRAM-SHA-256", "--zookeeper", "127.0.0.1:2181/kq"},
		}, func(t *testing.T, o *UsersOptions) {
			if len(o.Deletes) != 1 || o.Deletes[0] != "SCRAM-SHA-256" || !o.ZooKeeper {
				t.Fatalf("%+v", o)
			}
		}},
		{"describe all", [][]string{{"--describe", "--entity-type", "users"}, {"describe", "users"}}, func(t *testing.T, o *UsersOptions) {
			if !o.Describe || o.User != "" {
				t.Fatalf("%+v", o)
			}
		}},
	}
	for _, tt := range tests {
		for _, args := range tt.args {
			var got *UsersOptions
			r := &Runners{Users: func(_ context.Context, o *UsersOptions) error { got = o; return nil }}
			if err := execute(clitest.New(admintest.NewCluster()), r, args...); err != nil {
				t.Fatalf("%s %q: %v", tt.name, args, err)
			}
			if got == nil {
				t.Fatalf("%q did not run", args)
			}
			tt.check(t, got)
		}
	}
}

func TestUsersUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--alter", "--entity-type", "users", "--add-config", "SCRAM-SHA-256=[password=x]"},                                       // no user
		{"--alter", "--entity-type", "users", "--entity-name", "a", "--add-config", "SCRAM-SHA-256=[iterations=4095,password=x]"}, // too few
		{"--alter", "--entity-type", "users", "--entity-name", "a", "--add-config", "SCRAM-SHA-256=[iterations=99999999999,password=x]"},
		{"--alter", "--entity-type", "users", "--entity-name", "a", "--add-config", "SCRAM-SHA-256=[iterations=1000000,password=x]"},
		{"--alter", "--entity-type", "users", "--entity-name", "a", "--add-config", "SCRAM-SHA-256=[password=]"},
		{"--alter", "--entity-type", "users", "--entity-name", "a", "--add-config", "SCRAM-SHA-256=secret"},
		{"--alter", "--entity-type", "users", "--entity-name", "a", "--add-config", "SCRAM-SHA-256=[password=x],producer_byte_rate=1024"},
		{"--alter", "--entity-type", "users", "--entity-name", "a"},
		{"--describe", "--entity-type", "users", "--add-config", "SCRAM-SHA-256=[password=x]"},
		{"--describe", "--entity-type", "topics", "--zookeeper", "127.0.0.1:2181"},
		{"alter", "users", "a", "--add-config", "SCRAM-SHA-1=[password=x]"},
	} {
		ran := false
		r := &Runners{Users: func(context.Context, *UsersOptions) error { ran = true; return nil }}
		err := execute(clitest.New(admintest.NewCluster()), r, args...)
		if clierr.Code(err) != clierr.CodeUsage || ran {
			t.Errorf("%q: err %v ran %v", args, err, ran)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: error %q shows the password", args, err)
		}
	}
}

// fakeScram is an in-memory scramAdmin.
type fakeScram struct {
	users map[string][]admin.ScramCredentialInfo
}

func (f *fakeScram) DescribeUserScram(_ context.Context, users ...string) ([]admin.UserScram, error) {
	if len(users) == 0 {
		users = []string{"alice", "bob"}
	}
	var out []admin.UserScram
	for _, u := range users {
		creds, ok := f.users[u]
		us := admin.UserScram{User: u, Credentials: creds}
		if !ok {
			us.Err = kerr.ResourceNotFound
		}
		out = append(out, us)
	}
	return out, nil
}

func (f *fakeScram) AlterUserScram(context.Context, string, []admin.ScramUpsert, []string) error {
	return nil
}

func TestDescribeUsersGolden(t *testing.T) {
	fake := &fakeScram{users: map[string][]admin.ScramCredentialInfo{
		"alice": {{Mechanism: "SCRAM-SHA-256", Iterations: 8192}, {Mechanism: "SCRAM-SHA-512", Iterations: 4096}},
		"bob":   {{Mechanism: "SCRAM-SHA-512", Iterations: 4096}},
	}}
	var out, errOut bytes.Buffer
	io := &iostreams.IOStreams{Out: &out, ErrOut: &errOut}
	opts := &UsersOptions{IO: io, Admin: func() (scramAdmin, error) { return fake, nil }, Describe: true}
	if err := usersRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	want := "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096\n" +
		"SCRAM credential configs for user-principal 'bob' are SCRAM-SHA-512=iterations=4096\n"
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}
	out.Reset()
	opts.User = "carol"
	if err := usersRun(context.Background(), opts); clierr.Code(err) != clierr.CodeNotFound {
		t.Fatalf("carol: %v", err)
	}
	if !strings.Contains(errOut.String(), "Error retrieving SCRAM credential configs for user-principal 'carol'") {
		t.Fatalf("stderr %q", errOut.String())
	}
}
