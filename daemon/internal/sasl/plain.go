package sasl

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/kqhq/kq/store/jaas"
)

// PlainUsers are the PLAIN users of a listener: the user_<name>="password"
// options of its PlainLoginModule, as Kafka's PlainServerCallbackHandler
// reads them.
type PlainUsers map[string]string

// PlainUsersFrom collects the user_<name> options of a login module.
func PlainUsersFrom(m jaas.LoginModule) PlainUsers {
	users := PlainUsers{}
	for k, v := range m.Options {
		if name, ok := cutPrefix(k, "user_"); ok {
			users[name] = v
		}
	}
	return users
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || s[:len(prefix)] != prefix {
		return "", false
	}
	return s[len(prefix):], true
}

// check compares in constant time; an unknown user is compared against
// a dummy so its timing matches a known user's.
func (u PlainUsers) check(user string, password []byte) bool {
	want, ok := u[user]
	if !ok {
		want = "\x00unknown-user-dummy-password"
	}
	eq := subtle.ConstantTimeCompare([]byte(want), password) == 1
	return ok && eq
}

// plainServer is SASL/PLAIN (RFC 4616): one message
// "authzid NUL authcid NUL password", answered with nothing.
type plainServer struct {
	users PlainUsers
	user  string
	ended bool
}

// NewPlainServer starts a PLAIN exchange against users.
func NewPlainServer(users PlainUsers) Server { return &plainServer{users: users} }

func (s *plainServer) Step(token []byte) ([]byte, bool, error) {
	if s.ended {
		return nil, false, errState
	}
	s.ended = true
	parts := bytes.Split(token, []byte{0})
	if len(parts) != 3 {
		return nil, false, fmt.Errorf("Invalid SASL/PLAIN response: expected 3 tokens, got %d", len(parts))
	}
	authzid, user, password := string(parts[0]), string(parts[1]), parts[2]
	switch {
	case user == "":
		return nil, false, failf("Authentication failed: username not specified")
	case len(password) == 0:
		return nil, false, failf("Authentication failed: password not specified")
	case !s.users.check(user, password):
		return nil, false, failf("Authentication failed: Invalid username or password")
	case authzid != "" && authzid != user:
		return nil, false, failf("Authentication failed: Client requested an authorization id that is different from username")
	}
	s.user = user
	return nil, true, nil
}

func (s *plainServer) Principal() string { return s.user }
func (s *plainServer) Expiry() time.Time { return time.Time{} }
