package metrics

import (
	"runtime"
	"sync"
	"time"
)

// minIdleWindow is the shortest interval the idle ratio is measured over;
// scrapes closer together than this see the previous value.
const minIdleWindow = time.Second

// idleSampler measures the fraction of the process's CPU capacity
// (GOMAXPROCS cores) left unused between two samples: kq serves requests
// on goroutines, not on Kafka's network and request handler threads, so
// this stands for both of Kafka's idle percentages.
type idleSampler struct {
	mu      sync.Mutex
	cpu     func() (time.Duration, bool) // CPU time used by the process
	now     func() time.Time
	procs   func() int
	lastAt  time.Time
	lastCPU time.Duration
	last    float64
	ok      bool
}

func newIdleSampler() *idleSampler {
	s := &idleSampler{cpu: processCPU, now: time.Now, procs: func() int { return runtime.GOMAXPROCS(0) }}
	s.lastCPU, s.ok = s.cpu()
	s.lastAt, s.last = s.now(), 1
	return s
}

// ratio returns the idle fraction in [0, 1], and false where the
// platform cannot tell the process's CPU time.
func (s *idleSampler) ratio() (float64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ok {
		return 0, false
	}
	now := s.now()
	wall := now.Sub(s.lastAt)
	if wall < minIdleWindow {
		return s.last, true
	}
	cpu, ok := s.cpu()
	if !ok {
		return 0, false
	}
	busy := float64(cpu-s.lastCPU) / (float64(wall) * float64(max(s.procs(), 1)))
	s.last = min(max(1-busy, 0), 1)
	s.lastAt, s.lastCPU = now, cpu
	return s.last, true
}
