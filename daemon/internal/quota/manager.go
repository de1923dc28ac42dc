package quota

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/kqhq/kq/store/meta/znode"
)

// Kafka's defaults of quota.window.num and quota.window.size.seconds.
const (
	DefaultWindowSamples = 11
	DefaultWindowSize    = time.Second
)

// Manager holds the quota configs and the rates of one broker. It is safe
// for concurrent use; the zero value is not: use New.
type Manager struct {
	samples int
	window  time.Duration
	now     func() time.Time

	mu      sync.RWMutex
	configs map[Entity]Quotas
	// rates are keyed by type and the rate's tags: the user and client id
	// the matched entity names ("" for a part it does not name).
	rates     map[rateKey]*lockedRate
	lastSweep time.Time // when idle rates were last dropped
}

// rateIdleExpiry is how long a rate nobody records into is kept: Kafka
// drops its quota sensors after an hour without use, so a broker seeing
// many short-lived client ids does not keep a rate for each forever.
const rateIdleExpiry = time.Hour

type rateKey struct {
	typ          Type
	user, client string
}

type lockedRate struct {
	mu       sync.Mutex
	r        *rate
	lastUsed time.Time // guarded by mu
}

// Options tune a Manager; zero values take Kafka's defaults.
type Options struct {
	WindowSamples int              // quota.window.num
	WindowSize    time.Duration    // quota.window.size.seconds
	Now           func() time.Time // a clock for tests
}

// New returns a manager without quotas.
func New(o Options) *Manager {
	m := &Manager{samples: o.WindowSamples, window: o.WindowSize, now: o.Now,
		configs: map[Entity]Quotas{}, rates: map[rateKey]*lockedRate{}}
	if m.samples <= 0 {
		m.samples = DefaultWindowSamples
	}
	if m.window <= 0 {
		m.window = DefaultWindowSize
	}
	if m.now == nil {
		m.now = time.Now
	}
	return m
}

// Set replaces an entity's quotas from its config (other keys ignored); a
// config without quota keys removes the entity. Rates are kept: a changed
// bound applies to the use already measured, as in Kafka.
func (m *Manager) Set(e Entity, cfg map[string]string) error {
	q, err := ParseQuotas(cfg)
	m.mu.Lock()
	defer m.mu.Unlock()
	if q.empty() {
		delete(m.configs, e)
	} else {
		m.configs[e] = q
	}
	return err
}

// Enabled says whether any entity sets a quota, so callers can skip
// timing work when none does.
func (m *Manager) Enabled() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.configs) > 0
}

// Record counts value (bytes, or percent of a thread's second for Request)
// against the quota of principal's user and clientID and returns how long
// the client must be throttled (0 when within its quota or unbounded).
// principal is Kafka's "User:NAME".
func (m *Manager) Record(t Type, principal, clientID string, value float64) time.Duration {
	key, bound, ok := m.resolve(t, principal, clientID)
	if !ok {
		return 0
	}
	now := m.now()
	lr := m.rateFor(key, now)
	lr.mu.Lock()
	defer lr.mu.Unlock()
	lr.lastUsed = now
	lr.r.record(value, now)
	measured, span := lr.r.measure(now)
	d := throttle(measured, bound, span)
	if t == Request {
		d = min(d, m.window) // Kafka bounds request throttles to one window
	}
	return min(d, time.Duration(m.samples)*m.window)
}

// Unrecord takes back a recorded value (Kafka's unrecordQuotaSensor), for
// a response that will not be sent as counted.
func (m *Manager) Unrecord(t Type, principal, clientID string, value float64) {
	m.Record(t, principal, clientID, -value)
}

// Bound returns the quota that applies to principal and clientID for t.
func (m *Manager) Bound(t Type, principal, clientID string) (float64, bool) {
	_, bound, ok := m.resolve(t, principal, clientID)
	return bound, ok
}

// resolve finds the first candidate entity bounding t, and the rate's tags.
func (m *Manager) resolve(t Type, principal, clientID string) (rateKey, float64, bool) {
	user := znode.SanitizeEntityName(userName(principal))
	client := znode.SanitizeEntityName(clientID)
	m.mu.RLock()
	defer m.mu.RUnlock()
	if len(m.configs) == 0 {
		return rateKey{}, 0, false
	}
	for _, e := range candidates(user, client) {
		q, ok := m.configs[e]
		if !ok || math.IsNaN(q[t]) {
			continue
		}
		key := rateKey{typ: t}
		if e.User != "" {
			key.user = user
		}
		if e.ClientID != "" {
			key.client = client
		}
		return key, q[t], true
	}
	return rateKey{}, 0, false
}

func (m *Manager) rateFor(key rateKey, now time.Time) *lockedRate {
	m.mu.RLock()
	lr := m.rates[key]
	m.mu.RUnlock()
	if lr != nil {
		return lr
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if lr = m.rates[key]; lr == nil {
		m.sweepLocked(now)
		lr = &lockedRate{r: newRate(m.window, m.samples, now), lastUsed: now}
		m.rates[key] = lr
	}
	return lr
}

// sweepLocked drops rates idle for rateIdleExpiry, at most once a minute
// (only when a new rate is made, so the request path never pays for it
// otherwise).
func (m *Manager) sweepLocked(now time.Time) {
	if now.Sub(m.lastSweep) < time.Minute {
		return
	}
	m.lastSweep = now
	for k, lr := range m.rates {
		lr.mu.Lock()
		idle := now.Sub(lr.lastUsed) >= rateIdleExpiry
		lr.mu.Unlock()
		if idle {
			delete(m.rates, k)
		}
	}
}

// userName is the name part of a "User:NAME" principal.
func userName(principal string) string {
	if _, name, ok := strings.Cut(principal, ":"); ok {
		return name
	}
	return principal
}

// Replace swaps in every entity's config at once (a new metadata session's
// full read), dropping entities no longer configured. Malformed values are
// reported joined; the rest still apply.
func (m *Manager) Replace(all map[Entity]map[string]string) error {
	configs := make(map[Entity]Quotas, len(all))
	var errs []error
	for e, cfg := range all {
		q, err := ParseQuotas(cfg)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", e, err))
		}
		if !q.empty() {
			configs[e] = q
		}
	}
	m.mu.Lock()
	m.configs = configs
	m.mu.Unlock()
	return errors.Join(errs...)
}
