package sasl

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	kscram "github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/kqhq/kq/daemon/kafkazk"
)

// testCreds is a fixed credential store.
type testCreds map[string]kafkazk.ScramCredential // "mech/user"

func (c testCreds) ScramCredential(mech, user string) (kafkazk.ScramCredential, bool) {
	cred, ok := c[mech+"/"+user]
	return cred, ok
}

func mustCred(t testing.TB, m kafkazk.ScramMechanism, password string, iterations int32) kafkazk.ScramCredential {
	t.Helper()
	c, err := m.NewCredential(password, iterations)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// exchange runs franz-go's SCRAM client against the server and returns the
// server's error, if any, and whether the client accepted the server.
func exchange(t *testing.T, m kafkazk.ScramMechanism, srv Server, user, password string) error {
	t.Helper()
	auth := kscram.Auth{User: user, Pass: password}
	mech := auth.AsSha256Mechanism()
	if m.Name == kafkazk.ScramSHA512.Name {
		mech = auth.AsSha512Mechanism()
	}
	sess, msg, err := mech.Authenticate(context.Background(), "broker")
	if err != nil {
		t.Fatal(err)
	}
	for {
		out, done, err := srv.Step(msg)
		if err != nil {
			return err
		}
		clientDone, next, cerr := sess.Challenge(out)
		if cerr != nil {
			t.Fatalf("client refused the server: %v", cerr)
		}
		if done {
			if !clientDone {
				t.Fatal("server done before the client")
			}
			return nil
		}
		msg = next
	}
}

func TestScramExchange(t *testing.T) {
	creds := testCreds{}
	for _, m := range kafkazk.ScramMechanisms {
		creds[m.Name+"/alice"] = mustCred(t, m, "alice-secret", 4096)
		creds[m.Name+"/a,b=c"] = mustCred(t, m, "pw", 8192)
		creds[m.Name+"/weak"] = mustCred(t, m, "pw", 1000)
	}
	tests := []struct {
		name, user, password string
		wantMsg              string
	}{
		{"ok", "alice", "alice-secret", ""},
		{"escaped name", "a,b=c", "pw", ""},
		{"wrong password", "alice", "nope", "Authentication failed during authentication due to invalid credentials with SASL mechanism "},
		{"unknown user", "bob", "alice-secret", "Authentication failed during authentication due to invalid credentials with SASL mechanism "},
		{"too few iterations", "weak", "pw", "Authentication failed during authentication due to invalid credentials with SASL mechanism "},
	}
	for _, m := range kafkazk.ScramMechanisms {
		for _, tt := range tests {
			t.Run(m.Name+"/"+tt.name, func(t *testing.T) {
				srv := NewScramServer(m, creds)
				err := exchange(t, m, srv, tt.user, tt.password)
				if tt.wantMsg == "" {
					if err != nil {
						t.Fatal(err)
					}
					if srv.Principal() != tt.user {
						t.Fatalf("principal %q", srv.Principal())
					}
					return
				}
				if err == nil {
					t.Fatal("authenticated")
				}
				if got := ClientMessage(err, m.Name, false); got != tt.wantMsg+m.Name {
					t.Fatalf("message %q", got)
				}
			})
		}
	}
}

// TestScramBadMessages feeds hand-made messages: each fails, with
// nothing secret in the error.
func TestScramBadMessages(t *testing.T) {
	m := kafkazk.ScramSHA256
	creds := testCreds{m.Name + "/alice": mustCred(t, m, "alice-secret", 4096)}
	first := "n,,n=alice,r=cnonce"
	tests := []struct {
		name    string
		first   string
		final   func(serverFirst string) string // nil: the first message must fail
		wantMsg string
	}{
		{"empty", "", nil, ""},
		{"channel binding flag y", "y,,n=alice,r=cnonce", nil, ""},
		{"no nonce", "n,,n=alice", nil, ""},
		{"bad escape", "n,,n=al=ice,r=x", nil, ""},
		{"non-ascii name", "n,,n=ålice,r=x", nil, ""},
		{"delegation token", "n,,n=alice,r=x,tokenauth=true", nil, ""},
		{"other authzid", "n,a=bob,n=alice,r=x", nil, "Authentication failed: Client requested an authorization id that is different from username"},
		{"bad nonce", first, func(sf string) string { return "c=biws,r=cnonceXXX,p=" + strings.Repeat("A", 43) + "=" }, ""},
		{"client nonce twice, server nonce wrong", first, func(sf string) string {
			return "c=biws,r=cnonce" + strings.TrimPrefix(nonceOf(sf), "r=") + "x,p=" + strings.Repeat("A", 43) + "="
		}, ""},
		{"client nonce only", first, func(sf string) string { return "c=biws,r=cnonce,p=" + strings.Repeat("A", 43) + "=" }, ""},
		{"wrong proof", first, func(sf string) string { return "c=biws," + nonceOf(sf) + ",p=" + strings.Repeat("A", 43) + "=" }, ""},
		{"short proof", first, func(sf string) string { return "c=biws," + nonceOf(sf) + ",p=AAAA" }, ""},
		{"proof not base64", first, func(sf string) string { return "c=biws," + nonceOf(sf) + ",p=****" }, ""},
		{"no proof", first, func(sf string) string { return "c=biws," + nonceOf(sf) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := NewScramServer(m, creds)
			sf, done, err := srv.Step([]byte(tt.first))
			if tt.final == nil {
				if err == nil || done {
					t.Fatalf("first message accepted: %q", sf)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				_, done, err = srv.Step([]byte(tt.final(string(sf))))
				if err == nil || done {
					t.Fatal("final message accepted")
				}
			}
			want := tt.wantMsg
			if want == "" {
				want = "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256"
			}
			if got := ClientMessage(err, m.Name, false); got != want {
				t.Fatalf("message %q, want %q", got, want)
			}
		})
	}
}

func nonceOf(serverFirst string) string {
	r, _, _ := strings.Cut(serverFirst, ",")
	return r
}

func TestScramCredentialFormat(t *testing.T) {
	c := mustCred(t, kafkazk.ScramSHA512, "pw", 4096)
	back, err := kafkazk.ParseScramCredential(c.String())
	if err != nil || back.String() != c.String() {
		t.Fatalf("round trip: %v %v", back, err)
	}
	for _, bad := range []string{"", "salt=AA==", "salt=AA==,stored_key=AA==,server_key=AA==,iterations=x",
		"salt=!!,stored_key=AA==,server_key=AA==,iterations=4096", "salt=AA==,stored_key=AA==,server_key=AA==,iterations=-1",
		"salt=AA==,stored_key=AA==,server_key=AA==,iterations=4096,extra=1", "=x,stored_key=AA==,server_key=AA==,iterations=4096"} {
		if _, err := kafkazk.ParseScramCredential(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestScramKnownVector checks the derivation against RFC 7677's example
// (SCRAM-SHA-256, user "user", password "pencil").
func TestScramKnownVector(t *testing.T) {
	m := kafkazk.ScramSHA256
	salt := []byte{0x5b, 0x6d, 0x99, 0x68, 0x9d, 0x12, 0x35, 0x8e, 0xec, 0xa0, 0x4b, 0x14, 0x12, 0x36, 0xfa, 0x81}
	salted, err := m.SaltPassword("pencil", salt, 4096)
	if err != nil {
		t.Fatal(err)
	}
	cred := m.Credential(salted, salt, 4096)
	srv := &scramServer{mech: m, creds: testCreds{m.Name + "/user": cred}}
	srv.state = 0
	sf, _, err := srv.Step([]byte("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"))
	if err != nil {
		t.Fatal(err)
	}
	// Replay the RFC's exchange with its server nonce.
	srv.nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
	srv.serverFirst = "r=" + srv.nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
	_ = sf
	out, done, err := srv.Step([]byte("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))
	if err != nil || !done {
		t.Fatalf("final: %v", err)
	}
	if string(out) != "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=" {
		t.Fatalf("server final %q", out)
	}
}

// TestScramLibrdkafkaNonce: librdkafka 2.0 sends its client nonce before
// the combined nonce in client-final; Kafka 3.9 accepts it, and so must kq.
func TestScramLibrdkafkaNonce(t *testing.T) {
	m := kafkazk.ScramSHA512
	salt := []byte("salt")
	salted, err := m.SaltPassword("pw", salt, 4096)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewScramServer(m, testCreds{m.Name + "/alice": m.Credential(salted, salt, 4096)})
	first := "n,,n=alice,r=cnonce"
	sf, _, err := srv.Step([]byte(first))
	if err != nil {
		t.Fatal(err)
	}
	withoutProof := "c=biws,r=cnonce" + strings.TrimPrefix(nonceOf(string(sf)), "r=")
	auth := []byte(strings.TrimPrefix(first, "n,,") + "," + string(sf) + "," + withoutProof)
	clientKey := m.HMAC(salted, []byte("Client Key"))
	h := m.Hash()
	h.Write(clientKey)
	sig := m.HMAC(h.Sum(nil), auth)
	proof := make([]byte, len(sig))
	for i := range sig {
		proof[i] = clientKey[i] ^ sig[i]
	}
	_, done, err := srv.Step([]byte(withoutProof + ",p=" + base64.StdEncoding.EncodeToString(proof)))
	if err != nil || !done {
		t.Fatalf("librdkafka's final message refused: %v", err)
	}
}
