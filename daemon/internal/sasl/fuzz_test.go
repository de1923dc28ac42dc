package sasl

import (
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/kafkazk"
)

// FuzzScramClientFirst and FuzzScramClientFinal drive a SCRAM exchange
// with arbitrary messages: no panic, no success without the password.
func FuzzScramClientFirst(f *testing.F) {
	m := kafkazk.ScramSHA256
	cred, err := m.NewCredential("alice-secret", 4096)
	if err != nil {
		f.Fatal(err)
	}
	creds := testCreds{m.Name + "/alice": cred}
	for _, s := range []string{"n,,n=alice,r=abc", "n,a=alice,m=x,n=alice,r=abc,ext=1", "n,,n=a=2Cb=3D,r=x", "y,,n=a,r=b", ""} {
		f.Add([]byte(s), []byte("c=biws,r=abc,p=AAAA"))
	}
	f.Fuzz(func(t *testing.T, first, final []byte) {
		srv := NewScramServer(m, creds)
		if _, done, err := srv.Step(first); err != nil || done {
			return
		}
		if _, done, err := srv.Step(final); err == nil || done {
			t.Fatalf("final %q accepted without the password", final)
		}
	})
}

func FuzzOAuthInitial(f *testing.F) {
	for _, s := range []string{"n,,\x01auth=Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIiwiZXhwIjo5OTk5OTk5OTk5fQ.\x01\x01", "n,a=x,\x01\x01", "\x01"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		s := NewOAuthServer(OAuthOptions{PrincipalClaim: "sub", ScopeClaim: "scope"}, func() time.Time { return time.Unix(1e9, 0) })
		_, done, err := s.Step(msg)
		if done && (err != nil || s.Principal() == "") {
			t.Fatalf("done with %v, principal %q", err, s.Principal())
		}
	})
}

func FuzzScramCredential(f *testing.F) {
	f.Add("salt=AA==,stored_key=AA==,server_key=AA==,iterations=4096")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := kafkazk.ParseScramCredential(s)
		if err != nil {
			return
		}
		if _, err := kafkazk.ParseScramCredential(c.String()); err != nil {
			t.Fatalf("re-parse of %q: %v", c.String(), err)
		}
	})
}
