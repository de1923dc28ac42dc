package metrics

import (
	"testing"
	"time"
)

func TestRequests(t *testing.T) {
	var r Requests
	for i := 1; i <= 100; i++ {
		r.Observe(0, time.Duration(i)*time.Millisecond) // Produce: 1..100 ms
	}
	r.Observe(3, 2*time.Millisecond) // Metadata
	r.Observe(-1, time.Second)       // out of range: ignored
	r.Observe(10000, time.Second)
	got := gather(t, &r)
	tests := []struct {
		name     string
		min, max float64
	}{
		{`kafka_network_requestmetrics_requests_total{request="Produce"}`, 100, 100},
		{`kafka_network_requestmetrics_totaltimems_count{request="Produce"}`, 100, 100},
		{`kafka_network_requestmetrics_requests_total{request="Metadata"}`, 1, 1},
		{`kafka_network_requestmetrics_totaltimems{quantile="0.50",request="Produce"}`, 45, 55},
		{`kafka_network_requestmetrics_totaltimems{quantile="0.99",request="Produce"}`, 98, 100},
		{`kafka_network_requestmetrics_totaltimems{quantile="0.999",request="Produce"}`, 99, 100},
		{`kafka_network_requestmetrics_totaltimems{quantile="0.50",request="Metadata"}`, 2, 2},
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
			r.Observe(0, time.Millisecond)
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
