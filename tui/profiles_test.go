package tui

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/tuitest"
)

// fakeProfiles are named fake clusters; closed counts Close calls by name.
type fakeProfiles struct {
	clusters map[string]*tuitest.Cluster
	closed   map[string]int
}

func (p *fakeProfiles) Names() ([]string, error) { return slices.Sorted(maps.Keys(p.clusters)), nil }

func (p *fakeProfiles) Open(name string) (Cluster, error) {
	c, ok := p.clusters[name]
	if !ok {
		return Cluster{}, errors.New("unknown profile")
	}
	return Cluster{Source: c, Address: name + ":9092", Close: func() { p.closed[name]++ }}, nil
}

// twoClusters puts the fixture's cluster under profile east and adds
// west: one broker, orders with 2 partitions, no groups.
func (f *fixture) twoClusters() *fakeProfiles {
	f.t.Helper()
	west := tuitest.NewCluster(7)
	if _, err := west.CreateTopic(context.Background(), admin.TopicSpec{Name: "orders", Partitions: 2, ReplicationFactor: 1}); err != nil {
		f.t.Fatal(err)
	}
	west.AppendRecords("orders", 1, 42)
	p := &fakeProfiles{clusters: map[string]*tuitest.Cluster{"east": f.cluster, "west": west}, closed: map[string]int{}}
	f.remodel(func(o *Options) { o.Profiles, o.Profile = p, "east" })
	return p
}

// ctx runs :ctx with args and the connection it starts.
func (f *fixture) ctx(args string) {
	f.t.Helper()
	f.keys(":")
	f.typeText(strings.TrimSpace("ctx " + args))
	cmd := f.send(keyMsg("enter"))
	if cmd != nil {
		if msg, ok := cmd().(ctxMsg); ok {
			f.send(msg)
		}
	}
}

func TestCtxSwitchesClusterKeepingTheView(t *testing.T) {
	f := newFixture(t, 80, 24)
	p := f.twoClusters()
	f.busy()
	f.command("partitions orders")
	if !strings.Contains(f.m.View(), "ctx east") {
		t.Fatalf("the header does not name the profile:\n%s", f.m.View())
	}
	f.ctx("")
	if view := f.m.View(); !strings.Contains(view, "profiles: east (current), west; :ctx NAME switches") {
		t.Fatalf(":ctx did not list the profiles:\n%s", view)
	}
	east := f.m.snap
	f.ctx("west")
	if f.m.snap != nil || f.m.opts.Profile != "west" || !strings.Contains(f.m.View(), "ctx west") {
		t.Fatalf("after :ctx west: snapshot kept %v, profile %q:\n%s", f.m.snap != nil, f.m.opts.Profile, f.m.View())
	}
	// A refresh of east that was under way is dropped.
	late, _ := f.m.Update(snapshotMsg{snap: east, at: f.now})
	if late.(Model).snap != nil {
		t.Fatal("a refresh of the cluster left behind was taken")
	}
	f.refreshAt(8 * time.Second)
	if f.page() != "orders › partitions" || len(f.m.rows(*f.m.top())) != 2 {
		t.Fatalf("on %q with %d rows, want west's orders › partitions with 2", f.page(), len(f.m.rows(*f.m.top())))
	}
	golden(t, "ctx_switched", f.m.View())
	f.ctx("east")
	if p.closed["west"] != 1 || p.closed["east"] != 0 {
		t.Fatalf("closed %v, want west once (east was opened by the command)", p.closed)
	}
	f.ctx("north")
	if view := f.m.View(); !strings.Contains(view, `no profile "north"; profiles: east (current), west`) {
		t.Fatalf("an unknown profile was not refused:\n%s", view)
	}
}

func TestCtxWithoutProfiles(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.ctx("west")
	if view := f.m.View(); !strings.Contains(view, "no profiles") || strings.Contains(view, "ctx ") {
		t.Fatalf(":ctx without profiles:\n%s", view)
	}
}

func TestCtxCompletes(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.twoClusters()
	f.keys(":")
	f.typeText("ctx w")
	f.keys("tab")
	if got := f.m.input.Value(); got != "ctx west " {
		t.Fatalf("tab completed to %q", got)
	}
}
