package metrics

import (
	"testing"
	"time"
)

func TestIdleSampler(t *testing.T) {
	t0 := time.Unix(1000, 0)
	tests := []struct {
		name   string
		wall   time.Duration
		cpu    time.Duration // used during wall
		procs  int
		want   float64
		wantOK bool
	}{
		{"half of two cores", 2 * time.Second, 2 * time.Second, 2, 0.5, true},
		{"idle", 2 * time.Second, 0, 4, 1, true},
		{"saturated (clamped)", time.Second, 3 * time.Second, 2, 0, true},
		{"too soon: previous value", 100 * time.Millisecond, time.Second, 1, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now, cpu := t0, time.Duration(0)
			s := &idleSampler{cpu: func() (time.Duration, bool) { return cpu, true }, now: func() time.Time { return now },
				procs: func() int { return tt.procs }, lastAt: t0, last: 1, ok: true}
			now, cpu = t0.Add(tt.wall), tt.cpu
			got, ok := s.ratio()
			if ok != tt.wantOK || got != tt.want {
				t.Errorf("ratio() = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
