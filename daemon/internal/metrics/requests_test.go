package metrics

import (
	"testing"
	"time"
)

func TestRequests(t *testing.T) {
	var r Requests
	for i := 1; i <= 100; i++ {
		r.Observe(0, false, time.Duration(i)*time.Millisecond) // Produce: 1..100 ms
	}
	r.Observe(3, false, 2*time.Millisecond) // Metadata
	r.Observe(-1, false, time.Second)       // out of range: ignored
	r.Observe(10000, false, time.Second)
	got := gather(t, &r)
	tests := []struct {
		name     string
		min, max float64
	}{
		{`kafka_network_requestmetrics_requests_total{request="Produce"}`, 100, 100},
		{`kafka_network_requestmetrics_totaltimems_count{request="Produce"}`, 100, 100},
		{`kafka_network_requestmetrics_requests_total{request="Metadata"}`, 1, 1},
		// Within the buckets' 1/8 of the true value.
		{`kafka_network_requestmetrics_totaltimems{quantile="0.50",request="Produce"}`, 50 * 7 / 8, 50 * 9 / 8},
		{`kafka_network_requestmetrics_totaltimems{quantile="0.99",request="Produce"}`, 99 * 7 / 8, 99 * 9 / 8},
		{`kafka_network_requestmetrics_totaltimems{quantile="0.999",request="Produce"}`, 100 * 7 / 8, 100 * 9 / 8},
		{`kafka_network_requestmetrics_totaltimems{quantile="0.50",request="Metadata"}`, 2 * 7 / 8.0, 2 * 9 / 8.0},
	}
	for _, tt := range tests {
		v, ok := got[tt.name]
		if !ok || v < tt.min || v > tt.max {
			t.Errorf("%s = %v (present %v), want in [%v, %v]", tt.name, v, ok, tt.min, tt.max)
		}
	}
	if n := len(got); n != 2*(2+6) {
		t.Errorf("%d series, want %d (two APIs: two counters and six quantiles each)", n, 2*(2+6))
	}
}

func BenchmarkRequestsObserve(b *testing.B) {
	var r Requests
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.Observe(0, false, time.Millisecond)
		}
	})
}

func TestAPINamesAreKafkas(t *testing.T) {
	tests := map[int16]string{0: "Produce", 1: "Fetch", 4: "LeaderAndIsr", 22: "InitProducerId", 29: "DescribeAcls", 45: "AlterPartitionReassignments", 67: "AllocateProducerIds"}
	for key, want := range tests {
		if got := apiNames[key]; got != want {
			t.Errorf("key %d: %q, want %q", key, got, want)
		}
	}
}

// TestRequestsWindow checks that the quantiles forget requests older than
// the window while the counts keep them.
func TestRequestsWindow(t *testing.T) {
	t0 := time.Unix(1000, 0)
	now := t0
	r := Requests{now: func() time.Time { return now }}
	observe := func(n int, d time.Duration) {
		for range n {
			r.Observe(0, false, d)
		}
	}
	const p50 = `kafka_network_requestmetrics_totaltimems{quantile="0.50",request="Produce"}`
	const count = `kafka_network_requestmetrics_requests_total{request="Produce"}`
	steps := []struct {
		at        time.Duration
		n         int
		d         time.Duration
		wantP50   float64 // ms
		wantCount float64
	}{
		{0, 100, 10 * time.Millisecond, 10, 100},
		{2 * time.Minute, 0, 0, 10, 100},                 // a scrape marks t0+2m
		{8 * time.Minute, 100, time.Millisecond, 1, 200}, // the 10 ms requests are older than the window
		{20 * time.Minute, 0, 0, 0, 200},                 // nothing recent: 0, as an empty Kafka histogram
	}
	for _, s := range steps {
		now = t0.Add(s.at)
		observe(s.n, s.d)
		got := gather(t, &r)
		if v := got[p50]; v < s.wantP50*7/8 || v > s.wantP50*9/8 {
			t.Errorf("at +%v: p50 %v ms, want %v", s.at, v, s.wantP50)
		}
		if v := got[count]; v != s.wantCount {
			t.Errorf("at +%v: count %v, want %v", s.at, v, s.wantCount)
		}
	}
}

// TestFetchTimedAsConsumerOrFollower: as Kafka, a Fetch counts as Fetch
// and as FetchConsumer or FetchFollower by who sent it.
func TestFetchTimedAsConsumerOrFollower(t *testing.T) {
	var r Requests
	r.Observe(1, false, time.Millisecond)
	r.Observe(1, false, time.Millisecond)
	r.Observe(1, true, time.Millisecond)
	r.Observe(0, true, time.Millisecond) // only Fetch has a follower variant
	got := gather(t, &r)
	for name, want := range map[string]float64{
		`kafka_network_requestmetrics_requests_total{request="Fetch"}`:         3,
		`kafka_network_requestmetrics_requests_total{request="FetchConsumer"}`: 2,
		`kafka_network_requestmetrics_requests_total{request="FetchFollower"}`: 1,
		`kafka_network_requestmetrics_requests_total{request="Produce"}`:       1,
	} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v", name, got[name], want)
		}
	}
}
