package sasl

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/kqhq/kq/daemon/kafkazk"
)

// Listener is one SASL listener's authentication setup: the mechanisms it
// offers and what each checks credentials against. Build it with its
// fields; once in use, read it through its methods and change it with
// Update (a dynamic JAAS change), which are safe for concurrent use.
type Listener struct {
	mu sync.RWMutex

	// Mechanisms are listener.name.<l>.sasl.enabled.mechanisms (or
	// sasl.enabled.mechanisms), in configured order; SaslHandshake
	// answers with them.
	Mechanisms []string
	// PlainUsers are the user_<name> options of the listener's PLAIN
	// login module.
	PlainUsers PlainUsers
	// OAuth are the unsecured validator's options of the listener's
	// OAUTHBEARER login module.
	OAuth OAuthOptions
	// Scram holds the SCRAM credentials (from /config/users).
	Scram ScramCredentials
	// MaxReauth is connections.max.reauth.ms per mechanism: a session
	// authenticated with it expires after this long (KIP-368); 0: never.
	MaxReauth map[string]time.Duration
	// Now is the clock for token expiry; nil: time.Now.
	Now func() time.Time
}

// Update replaces the settings with next's (the credential store and
// clock stay): connections authenticating from now on use them.
func (l *Listener) Update(next *Listener) {
	next.mu.RLock()
	mechs, users, oauth, reauth := next.Mechanisms, next.PlainUsers, next.OAuth, next.MaxReauth
	next.mu.RUnlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.Mechanisms, l.PlainUsers, l.OAuth, l.MaxReauth = mechs, users, oauth, reauth
}

// Offered lists the enabled mechanisms, as SaslHandshake answers them.
func (l *Listener) Offered() []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.Mechanisms
}

// SessionLimit is connections.max.reauth.ms for a mechanism (0: none).
func (l *Listener) SessionLimit(mechanism string) time.Duration {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.MaxReauth[mechanism]
}

// Enabled reports whether the listener offers mechanism.
func (l *Listener) Enabled(mechanism string) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Contains(l.Mechanisms, mechanism)
}

// NewServer starts an exchange for an enabled mechanism.
func (l *Listener) NewServer(mechanism string) (Server, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if !slices.Contains(l.Mechanisms, mechanism) {
		return nil, fmt.Errorf("Unsupported SASL mechanism %s", mechanism)
	}
	switch mechanism {
	case Plain:
		return NewPlainServer(l.PlainUsers), nil
	case OAuthBearer:
		return NewOAuthServer(l.OAuth, l.Now), nil
	}
	if m, ok := kafkazk.ScramMechanismNamed(mechanism); ok && l.Scram != nil {
		return NewScramServer(m, l.Scram), nil
	}
	return nil, fmt.Errorf("Unsupported SASL mechanism %s", mechanism)
}

// CheckMechanisms refuses mechanisms this package does not serve, as a
// broker refuses to start with a mechanism it has no SaslServer for.
func CheckMechanisms(mechs []string) error {
	if len(mechs) == 0 {
		return fmt.Errorf("No SASL mechanisms are enabled")
	}
	for _, m := range mechs {
		if !slices.Contains(Supported, m) {
			return fmt.Errorf("SASL mechanism %s is not supported by kq (supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER)", m)
		}
	}
	return nil
}
