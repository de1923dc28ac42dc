package group

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// A wall clock stepped forward or back by hours fences no member that
// keeps heartbeating, and a member that stops is still removed one
// session timeout later: sessions run on timers, which follow the
// monotonic clock.
func TestClockJumpsKeepSessions(t *testing.T) {
	for _, jump := range []time.Duration{3 * time.Hour, -3 * time.Hour} {
		t.Run(jump.String(), func(t *testing.T) {
			h := newHarness(t, testConfig())
			a, b := &consumer{client: "a", protos: protos("range")}, &consumer{client: "b", protos: protos("range")}
			h.stableGroup("g", a, b)
			for i := range 6 { // both heartbeat every 3 s of a 10 s session
				if i == 3 {
					h.clock.Jump(jump)
				}
				h.clock.Advance(3 * time.Second)
				wantErr(t, "heartbeat of a", h.heartbeat("g", a), nil)
				wantErr(t, "heartbeat of b", h.heartbeat("g", b), nil)
			}
			for range 4 { // b has crashed: 12 s later it is gone
				h.clock.Advance(3 * time.Second)
				_ = h.heartbeat("g", a)
			}
			wantErr(t, "heartbeat of the member that stopped", h.heartbeat("g", b), kerr.UnknownMemberID)
		})
	}
}

// A wall clock stepped forward past offsets.retention.minutes does not
// drop an empty group's offsets at the next check: they expire by the
// guarded clock, which takes the step at twice the pace of real time. A
// step back only delays expiry.
func TestClockJumpsKeepOffsets(t *testing.T) {
	tests := []struct {
		name    string
		jump    time.Duration
		after   time.Duration // real time passing after the step
		expires bool
	}{
		{name: "forward 3h", jump: 3 * time.Hour, after: 29 * time.Minute},
		{name: "forward 3h, caught up at twice real time", jump: 3 * time.Hour, after: 31 * time.Minute, expires: true},
		{name: "back 3h", jump: -3 * time.Hour, after: 61 * time.Minute},
		{name: "forward 1s (slack), then the retention", jump: time.Second, after: time.Hour, expires: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.OffsetsRetention = time.Hour
			h := newHarness(t, cfg)
			commitOne(h, simpleCommit("g", "t", 0, 42))
			if n := h.c.ExpireOffsets(); n != 0 { // the checks before the step read the clock
				t.Fatalf("%d offsets expired at once", n)
			}
			h.clock.Jump(tc.jump)
			if n := h.c.ExpireOffsets(); n != 0 {
				t.Fatalf("%d offsets expired right after a %v step", n, tc.jump)
			}
			h.clock.Advance(tc.after)
			if n := h.c.ExpireOffsets(); (n == 1) != tc.expires {
				t.Fatalf("%v after the step: %d offsets expired, want expired %v", tc.after, n, tc.expires)
			}
		})
	}
}
