package sasl

import (
	"fmt"
	"slices"
	"time"

	"github.com/kqhq/kq/daemon/kafkazk"
)

// Listener is one SASL listener's authentication setup: the mechanisms it
// offers and what each checks credentials against.
type Listener struct {
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

// Enabled reports whether the listener offers mechanism.
func (l *Listener) Enabled(mechanism string) bool { return slices.Contains(l.Mechanisms, mechanism) }

// NewServer starts an exchange for an enabled mechanism.
func (l *Listener) NewServer(mechanism string) (Server, error) {
	if !l.Enabled(mechanism) {
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
