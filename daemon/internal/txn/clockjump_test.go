package txn

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// A wall clock stepped forward or back by hours neither aborts an open
// transaction early (fencing its producer) nor keeps one open past its
// timeout, and expires no idle transactional id early or late: both are
// measured on the monotonic clock. A coordinator that loads the partition
// after a step back still aborts on time; one that loads it after a step
// forward has only the wall clock to go by, as Kafka.
func TestClockJumps(t *testing.T) {
	const timeoutMs = 15_000
	tests := []struct {
		name string
		jump time.Duration
		// reload moves the partition to a new coordinator after the step.
		reload bool
	}{
		{name: "forward 3h", jump: 3 * time.Hour},
		{name: "back 3h", jump: -3 * time.Hour},
		{name: "back 3h, then loaded", jump: -3 * time.Hour, reload: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.IDExpiration, cfg.RemoveExpiredInterval = 10*time.Minute, time.Minute
			h := newHarnessOn(t, cfg, newMemLog(), newFakeClock(), &fakePIDs{next: 1000})
			h.c.Start()
			p := &producer{id: "tx"}
			if r := h.init(p, timeoutMs); r.Err != nil {
				t.Fatal(r.Err)
			}
			h.newProducer("idle")
			wantErr(t, "add", h.add(p, tpA), nil)
			h.clock.Advance(time.Second)
			h.clock.Jump(tc.jump)
			if tc.reload {
				h = newHarnessOn(t, cfg, h.log, h.clock, h.pids)
				h.c.Start()
			}
			h.clock.Advance(cfg.AbortTimedOutInterval) // 11 s into a 15 s timeout
			h.log.settle()
			h.wantState("tx", Ongoing)
			h.wantState("idle", Empty)
			h.clock.Advance(cfg.AbortTimedOutInterval) // 21 s: past it
			h.log.settle()
			h.wantState("tx", PrepareAbort)
			h.clock.Advance(cfg.RemoveExpiredInterval) // an expiry pass
			h.log.settle()
			h.wantState("idle", Empty)
			h.clock.Advance(cfg.IDExpiration)
			h.log.settle()
			wantErr(t, "idle described after transactional.id.expiration.ms", h.c.Describe("idle").Err, kerr.TransactionalIDNotFound)
		})
	}
}
