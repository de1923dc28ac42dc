package acls

import (
	"context"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/kqhq/kq/daemon/authz"
)

// parse runs argv through the command and returns the options it would
// run with.
func parse(t *testing.T, args ...string) (*Options, error) {
	t.Helper()
	env := clitest.New(admintest.NewCluster())
	var got *Options
	cmd := NewCmdACLs(env.Factory, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(env.ErrOut)
	cmd.SetErr(env.ErrOut)
	err := cmd.Execute()
	return got, err
}

func TestBindings(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // Pattern Entry
	}{
		{"allow read", []string{"--add", "--allow-principal", "User:a", "--operation", "Read", "--topic", "t"},
			[]string{"TOPIC:t:LITERAL User:a * READ ALLOW"}},
		{"default operation all, deny host", []string{"--add", "--deny-principal", "User:b", "--deny-host", "10.0.0.1", "--group", "g"},
			[]string{"GROUP:g:LITERAL User:b 10.0.0.1 ALL DENY"}},
		{"prefixed", []string{"--add", "--allow-principal", "User:a", "--operation", "Write", "--topic", "pay-", "--resource-pattern-type", "prefixed"},
			[]string{"TOPIC:pay-:PREFIXED User:a * WRITE ALLOW"}},
		{"producer", []string{"--add", "--allow-principal", "User:p", "--producer", "--topic", "t", "--transactional-id", "tx", "--idempotent"},
			[]string{"TOPIC:t:LITERAL User:p * WRITE ALLOW", "TOPIC:t:LITERAL User:p * DESCRIBE ALLOW", "TOPIC:t:LITERAL User:p * CREATE ALLOW",
				"TRANSACTIONAL_ID:tx:LITERAL User:p * WRITE ALLOW", "TRANSACTIONAL_ID:tx:LITERAL User:p * DESCRIBE ALLOW",
				"CLUSTER:kafka-cluster:LITERAL User:p * IDEMPOTENT_WRITE ALLOW"}},
		{"consumer", []string{"--add", "--allow-principal", "User:c", "--consumer", "--topic", "t", "--group", "g"},
			[]string{"TOPIC:t:LITERAL User:c * READ ALLOW", "TOPIC:t:LITERAL User:c * DESCRIBE ALLOW", "GROUP:g:LITERAL User:c * READ ALLOW"}},
		{"cluster", []string{"--add", "--allow-principal", "User:ANONYMOUS", "--operation", "ClusterAction", "--cluster"},
			[]string{"CLUSTER:kafka-cluster:LITERAL User:ANONYMOUS * CLUSTER_ACTION ALLOW"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parse(t, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			bs, err := o.Flags.Bindings()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range bs {
				got = append(got, strings.Join([]string{b.Pattern.Type.String() + ":" + b.Pattern.Name + ":" + b.Pattern.PatternType.String(),
					b.Entry.Principal, b.Entry.Host, b.Entry.Operation.String(), b.Entry.Permission.String()}, " "))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--add", "--list", "--topic", "t"},
		{"--add", "--topic", "t"},                // no principal
		{"--add", "--allow-principal", "User:a"}, // no resource
		{"--add", "--allow-principal", "alice", "--topic", "t"}, // not Type:name
		{"--add", "--allow-principal", "User:a", "--topic", "t", "--resource-pattern-type", "match"},
		{"--add", "--allow-principal", "User:a", "--topic", "t", "--operation", "Fly"},
		{"--list", "--producer", "--topic", "t"},
		{"--add", "--allow-principal", "User:a", "--consumer", "--topic", "t"}, // no group
		{"--add", "--allow-principal", "User:a", "--producer", "--topic", "t", "--operation", "Read"},
		{"--remove", "--principal", "User:a", "--topic", "t"},
	} {
		if _, err := parse(t, args...); clierr.Code(err) != clierr.CodeUsage {
			t.Errorf("%v: %v (exit %d), want a usage error", args, err, clierr.Code(err))
		}
	}
	o, _ := parse(t, "--add", "--allow-principal", "User:a", "--operation", "Read", "--cluster")
	if _, err := o.Flags.Bindings(); clierr.Code(err) != clierr.CodeUsage {
		t.Errorf("Read on the cluster: %v, want a usage error", err)
	}
}

// memStore is an in-memory store.
type memStore struct {
	acls map[authz.Pattern][]authz.Entry
}

func (m *memStore) List(_ context.Context, f authz.Filter) ([]authz.Binding, error) {
	return authz.NewSnapshot(m.acls).Bindings(f), nil
}

func (m *memStore) Add(_ context.Context, bs []authz.Binding) error {
	for _, b := range bs {
		if !containsEntry(m.acls[b.Pattern], b.Entry) {
			m.acls[b.Pattern] = append(m.acls[b.Pattern], b.Entry)
		}
	}
	return nil
}

func (m *memStore) Remove(ctx context.Context, fs []authz.Filter) ([]authz.Binding, error) {
	var removed []authz.Binding
	for p, entries := range m.acls {
		var keep []authz.Entry
		for _, e := range entries {
			b := authz.Binding{Pattern: p, Entry: e}
			if matchesAny(fs, b) {
				removed = append(removed, b)
			} else {
				keep = append(keep, e)
			}
		}
		m.acls[p] = keep
	}
	return removed, nil
}

func matchesAny(fs []authz.Filter, b authz.Binding) bool {
	for _, f := range fs {
		if f.Matches(b) {
			return true
		}
	}
	return false
}

// runArgs parses and runs args against s, answering prompts with input.
func runArgs(t *testing.T, s store, format output.Format, input string, args ...string) (string, error) {
	t.Helper()
	env := clitest.New(admintest.NewCluster())
	env.In.WriteString(input)
	cmd := NewCmdACLs(env.Factory, func(ctx context.Context, o *Options) error {
		o.Store, o.Output = func() (store, error) { return s, nil }, format
		return aclsRun(ctx, o)
	})
	cmd.SetArgs(args)
	cmd.SetOut(env.ErrOut)
	cmd.SetErr(env.ErrOut)
	err := cmd.Execute()
	return env.Out.String(), err
}

func TestRunOutput(t *testing.T) {
	s := &memStore{acls: map[authz.Pattern][]authz.Entry{}}
	out, err := runArgs(t, s, output.Table, "", "--add", "--allow-principal", "User:alice", "--operation", "Read", "--topic", "t")
	if err != nil {
		t.Fatal(err)
	}
	want := "Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: \n" +
		" \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW) \n\n" +
		"Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: \n" +
		" \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW) \n\n"
	if out != want {
		t.Fatalf("add output:\n%q\nwant\n%q", out, want)
	}
	out, err = runArgs(t, s, output.JSON, "", "--list")
	if err != nil || !strings.Contains(out, `"operation": "READ"`) || !strings.Contains(out, `"resourceType": "TOPIC"`) {
		t.Fatalf("list json: %v\n%s", err, out)
	}
	if _, err := runArgs(t, s, output.Table, "n\n", "--remove", "--topic", "t"); err != nil || len(s.acls[authz.Pattern{Type: kmsg.ACLResourceTypeTopic, Name: "t", PatternType: kmsg.ACLResourcePatternTypeLiteral}]) != 1 {
		t.Fatalf("remove answered n: %v, acls %v", err, s.acls)
	}
	if _, err := runArgs(t, s, output.Table, "", "--remove", "--force", "--topic", "t"); err != nil || len(s.acls[authz.Pattern{Type: kmsg.ACLResourceTypeTopic, Name: "t", PatternType: kmsg.ACLResourcePatternTypeLiteral}]) != 0 {
		t.Fatalf("remove --force: %v, acls %v", err, s.acls)
	}
}
