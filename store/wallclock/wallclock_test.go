package wallclock

import (
	"log/slog"
	"testing"
	"time"
)

// stepClock is a Clock a test moves: advance lets time pass, jump steps
// the wall clock alone.
type stepClock struct {
	wall time.Time
	mono time.Duration
}

func (c *stepClock) Now() time.Time           { return c.wall }
func (c *stepClock) Monotonic() time.Duration { return c.mono }

// The guard's rule step by step: it follows the wall clock, holds a
// forward step back to twice the real time passed, and follows a step
// back at once.
func TestGuard(t *testing.T) {
	clock := &stepClock{wall: time.UnixMilli(1_000_000)}
	g := &Guard{Clock: clock, Logger: slog.New(slog.DiscardHandler), What: "tests"}
	steps := []struct {
		name          string
		jump, advance time.Duration
		want          int64
	}{
		{name: "first reading", want: 1_000_000},
		{name: "time passes", advance: 10 * time.Second, want: 1_010_000},
		{name: "a step within the slack", jump: 500 * time.Millisecond, advance: 10 * time.Second, want: 1_020_500},
		{name: "a step of an hour", jump: time.Hour, advance: 10 * time.Second, want: 1_040_500}, // 2 x 10 s
		{name: "catching up", advance: 10 * time.Second, want: 1_060_500},
		{name: "a step back of two hours", jump: -2 * time.Hour, want: 1_040_500 + 3_600_000 - 7_200_000},
		{name: "time passes after it", advance: time.Second, want: 1_041_500 + 3_600_000 - 7_200_000},
	}
	for _, s := range steps {
		clock.wall = clock.wall.Add(s.jump + s.advance)
		clock.mono += s.advance
		if got := g.Now().UnixMilli(); got != s.want {
			t.Fatalf("%s: %d, want %d (wall %d)", s.name, got, s.want, clock.wall.UnixMilli())
		}
	}
}

func TestSystemMonotonicAdvances(t *testing.T) {
	a := System{}.Monotonic()
	if b := (System{}).Monotonic(); b < a {
		t.Fatalf("monotonic clock went back: %v then %v", a, b)
	}
}
