package sasl

import (
	"errors"
	"testing"
)

func TestPlain(t *testing.T) {
	users := PlainUsers{"alice": "alice-secret"}
	tests := []struct {
		name    string
		token   string
		wantMsg string // "" for success; a client message otherwise
	}{
		{"ok", "\x00alice\x00alice-secret", ""},
		{"ok with same authzid", "alice\x00alice\x00alice-secret", ""},
		{"wrong password", "\x00alice\x00nope", "Authentication failed: Invalid username or password"},
		{"unknown user", "\x00bob\x00alice-secret", "Authentication failed: Invalid username or password"},
		{"empty user", "\x00\x00pw", "Authentication failed: username not specified"},
		{"empty password", "\x00alice\x00", "Authentication failed: password not specified"},
		{"other authzid", "bob\x00alice\x00alice-secret", "Authentication failed: Client requested an authorization id that is different from username"},
		{"two tokens", "alice\x00alice-secret", "Authentication failed during authentication due to invalid credentials with SASL mechanism PLAIN"},
		{"four tokens", "\x00alice\x00alice-secret\x00", "Authentication failed during authentication due to invalid credentials with SASL mechanism PLAIN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewPlainServer(users)
			out, done, err := s.Step([]byte(tt.token))
			if tt.wantMsg == "" {
				if err != nil || !done || len(out) != 0 || s.Principal() != "alice" {
					t.Fatalf("Step = %q, %v, %v; principal %q", out, done, err, s.Principal())
				}
				return
			}
			if err == nil || done {
				t.Fatalf("Step succeeded, want %q", tt.wantMsg)
			}
			if got := ClientMessage(err, Plain, false); got != tt.wantMsg {
				t.Fatalf("message %q, want %q", got, tt.wantMsg)
			}
			if _, _, err := s.Step([]byte(tt.token)); !errors.Is(err, errState) {
				t.Fatalf("second Step: %v, want errState", err)
			}
		})
	}
}
