package sasl

import (
	"sync"

	"github.com/kqhq/kq/daemon/kafkazk"
)

// CredentialCache holds every user's SCRAM credentials, as Kafka's
// CredentialCache: loaded from /config/users at start-up and updated on
// each config change notification. Safe for concurrent use.
type CredentialCache struct {
	mu    sync.RWMutex
	users map[string]map[string]kafkazk.ScramCredential // user -> mechanism -> credential
}

// NewCredentialCache returns an empty cache.
func NewCredentialCache() *CredentialCache {
	return &CredentialCache{users: map[string]map[string]kafkazk.ScramCredential{}}
}

// ScramCredential implements ScramCredentials.
func (c *CredentialCache) ScramCredential(mechanism, user string) (kafkazk.ScramCredential, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	cred, ok := c.users[user][mechanism]
	return cred, ok
}

// SetUser replaces a user's credentials from its dynamic config (the
// SCRAM-SHA-* keys; others, such as quotas, are ignored). It returns the
// mechanisms whose stored value could not be parsed: those are dropped, so
// the user cannot log in with them, as in Kafka.
func (c *CredentialCache) SetUser(user string, cfg map[string]string) (malformed []string) {
	creds := map[string]kafkazk.ScramCredential{}
	for _, m := range kafkazk.ScramMechanisms {
		v, ok := cfg[m.Name]
		if !ok {
			continue
		}
		cred, err := kafkazk.ParseScramCredential(v)
		if err != nil {
			malformed = append(malformed, m.Name)
			continue
		}
		creds[m.Name] = cred
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(creds) == 0 {
		delete(c.users, user)
	} else {
		c.users[user] = creds
	}
	return malformed
}
