package quota

import (
	"strconv"
	"testing"
	"time"
)

// fakeClock is a settable clock for the manager.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// TestResolutionOrder: the first configured entity in Kafka's order bounds
// the client, and decides which clients share its rate.
func TestResolutionOrder(t *testing.T) {
	all := []Entity{
		{"alice", "app"}, {"alice", Default}, {User: "alice"},
		{Default, "app"}, {Default, Default}, {User: Default},
		{ClientID: "app"}, {ClientID: Default},
	}
	wantTags := []rateKey{
		{user: "alice", client: "app"}, {user: "alice", client: "app"}, {user: "alice"},
		{user: "alice", client: "app"}, {user: "alice", client: "app"}, {user: "alice"},
		{client: "app"}, {client: "app"},
	}
	for i := range all {
		t.Run(all[i].String(), func(t *testing.T) {
			m := New(Options{})
			for j, e := range all[i:] { // this entity and every weaker one
				if err := m.Set(e, map[string]string{ProducerByteRate: itoa(100 * (i + j + 1))}); err != nil {
					t.Fatal(err)
				}
			}
			key, bound, ok := m.resolve(Produce, "User:alice", "app")
			want := wantTags[i]
			want.typ = Produce
			if !ok || bound != float64(100*(i+1)) || key != want {
				t.Fatalf("resolve = %+v %v %v, want %+v %v", key, bound, ok, want, 100*(i+1))
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestRecordThrottles(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1000, 0)}
	m := New(Options{Now: clk.now})
	if err := m.Set(Entity{User: "alice"}, map[string]string{ProducerByteRate: "1000", "SCRAM-SHA-256": "x"}); err != nil {
		t.Fatal(err)
	}
	if d := m.Record(Produce, "User:bob", "c", 1e9); d != 0 {
		t.Fatalf("an unbounded user was throttled %v", d)
	}
	if d := m.Record(Produce, "User:alice", "c", 5000); d != 0 {
		t.Fatalf("5000 bytes over a 10 s span throttled %v", d)
	}
	// 20000 bytes in all over the 10 s minimum span: 2000 B/s, twice the
	// quota, so the client waits another span.
	if d := m.Record(Produce, "User:alice", "other-client", 15000); d != 10*time.Second {
		t.Fatalf("throttle %v, want 10s (the user's clients share one rate)", d)
	}
	if d := m.Record(Fetch, "User:alice", "c", 1e9); d != 0 {
		t.Fatalf("fetch throttled %v without a consumer quota", d)
	}
	// A live change applies to what was measured.
	if err := m.Set(Entity{User: "alice"}, map[string]string{ProducerByteRate: "100000"}); err != nil {
		t.Fatal(err)
	}
	if d := m.Record(Produce, "User:alice", "c", 1); d != 0 {
		t.Fatalf("throttle %v after the quota was raised", d)
	}
	if err := m.Set(Entity{User: "alice"}, map[string]string{"SCRAM-SHA-256": "x"}); err != nil || m.Enabled() {
		t.Fatalf("an entity left with no quota keys still counts: %v %v", err, m.Enabled())
	}
}

func TestRequestThrottleBoundedByWindow(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1000, 0)}
	m := New(Options{Now: clk.now})
	_ = m.Set(Entity{ClientID: Default}, map[string]string{RequestPercentage: "1"})
	if d := m.Record(Request, "User:ANONYMOUS", "c", 1000); d != time.Second {
		t.Fatalf("request throttle %v, want the 1 s window", d)
	}
}

func TestParseQuotasRefusesNonNumbers(t *testing.T) {
	q, err := ParseQuotas(map[string]string{ProducerByteRate: "fast", ConsumerByteRate: "10"})
	if err == nil || q[Fetch] != 10 || q.empty() {
		t.Fatalf("ParseQuotas = %v, %v", q, err)
	}
}

// TestIdleRatesExpire: a rate unused for an hour is dropped when a new
// one is made, so many short-lived client ids do not pile up.
func TestIdleRatesExpire(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1000, 0)}
	m := New(Options{Now: clk.now})
	_ = m.Set(Entity{ClientID: Default}, map[string]string{ProducerByteRate: "1000"})
	m.Record(Produce, "User:a", "old", 1)
	clk.t = clk.t.Add(30 * time.Minute)
	m.Record(Produce, "User:a", "recent", 1)
	clk.t = clk.t.Add(31 * time.Minute)
	m.Record(Produce, "User:a", "new", 1)
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, old := m.rates[rateKey{typ: Produce, client: "old"}]
	_, recent := m.rates[rateKey{typ: Produce, client: "recent"}]
	if old || !recent || len(m.rates) != 2 {
		t.Fatalf("rates after an hour: %v", m.rates)
	}
}
