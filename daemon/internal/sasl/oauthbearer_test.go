package sasl

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/kqhq/kq/store/jaas"
)

func jws(header, claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(header)) + "." + enc([]byte(claims)) + "."
}

func oauthInitial(token string) []byte { return []byte("n,,\x01auth=Bearer " + token + "\x01\x01") }

func TestOAuthBearer(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	none := `{"alg":"none"}`
	tests := []struct {
		name      string
		opts      OAuthOptions
		msg       []byte
		wantUser  string
		challenge string // a rejected token's JSON, then the %x01 reply fails with it
		wantErr   bool   // fails at once (malformed message)
	}{
		{"ok", OAuthOptions{}, oauthInitial(jws(none, `{"sub":"alice","exp":1700000060,"iat":1699999990}`)), "alice", "", false},
		{"ok with extensions and authzid", OAuthOptions{}, []byte("n,a=alice,\x01auth=Bearer " + jws(none, `{"sub":"alice","exp":1700000060}`) + "\x01traceId=42\x01\x01"), "alice", "", false},
		{"custom principal claim", OAuthOptions{PrincipalClaim: "client_id"}, oauthInitial(jws(none, `{"client_id":"svc","exp":1700000060}`)), "svc", "", false},
		{"scope present", OAuthOptions{RequiredScope: []string{"kafka"}}, oauthInitial(jws(none, `{"sub":"a","exp":1700000060,"scope":["kafka","x"]}`)), "a", "", false},
		{"expired", OAuthOptions{}, oauthInitial(jws(none, `{"sub":"alice","exp":1699999999}`)), "", `{"status":"invalid_token"}`, false},
		{"expired within skew", OAuthOptions{ClockSkew: 5 * time.Second}, oauthInitial(jws(none, `{"sub":"alice","exp":1699999999}`)), "alice", "", false},
		{"no exp", OAuthOptions{}, oauthInitial(jws(none, `{"sub":"alice"}`)), "", `{"status":"invalid_token"}`, false},
		{"no sub", OAuthOptions{}, oauthInitial(jws(none, `{"exp":1700000060}`)), "", `{"status":"invalid_token"}`, false},
		{"sub not a string", OAuthOptions{}, oauthInitial(jws(none, `{"sub":5,"exp":1700000060}`)), "", `{"status":"invalid_token"}`, false},
		{"signed", OAuthOptions{}, oauthInitial(jws(`{"alg":"HS256"}`, `{"sub":"a","exp":1700000060}`) + "c2ln"), "", `{"status":"invalid_token"}`, false},
		{"alg not none", OAuthOptions{}, oauthInitial(jws(`{"alg":"HS256"}`, `{"sub":"a","exp":1700000060}`)), "", `{"status":"invalid_token"}`, false},
		{"issued in the future", OAuthOptions{}, oauthInitial(jws(none, `{"sub":"a","exp":1700000060,"iat":1700000030}`)), "", `{"status":"invalid_token"}`, false},
		{"missing scope", OAuthOptions{RequiredScope: []string{"kafka", "admin"}}, oauthInitial(jws(none, `{"sub":"a","exp":1700000060,"scope":"kafka"}`)), "", `{"status":"insufficient_scope", "scope":"[kafka, admin]"}`, false},
		{"not json", OAuthOptions{}, oauthInitial("e30.bm90anNvbg."), "", `{"status":"invalid_token"}`, false},
		{"other authzid", OAuthOptions{}, []byte("n,a=bob,\x01auth=Bearer " + jws(none, `{"sub":"alice","exp":1700000060}`) + "\x01\x01"), "", "", true},
		{"no auth", OAuthOptions{}, []byte("n,,\x01x=y\x01\x01"), "", "", true},
		{"basic scheme", OAuthOptions{}, []byte("n,,\x01auth=Basic abc\x01\x01"), "", "", true},
		{"garbage", OAuthOptions{}, []byte("\x00\x01\x02"), "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opts.PrincipalClaim == "" {
				tt.opts.PrincipalClaim = "sub"
			}
			if tt.opts.ScopeClaim == "" {
				tt.opts.ScopeClaim = "scope"
			}
			s := NewOAuthServer(tt.opts, func() time.Time { return now })
			out, done, err := s.Step(tt.msg)
			switch {
			case tt.wantErr:
				if err == nil || done {
					t.Fatalf("accepted: %q %v", out, done)
				}
			case tt.challenge != "":
				if err != nil || done || string(out) != tt.challenge {
					t.Fatalf("Step = %q, %v, %v; want challenge %s", out, done, err, tt.challenge)
				}
				_, done, err = s.Step([]byte{0x01})
				if done || err == nil || ClientMessage(err, OAuthBearer, false) != tt.challenge {
					t.Fatalf("after %%x01: %v %v", done, err)
				}
			default:
				if err != nil || !done || s.Principal() != tt.wantUser {
					t.Fatalf("Step = %q, %v, %v; principal %q", out, done, err, s.Principal())
				}
				if s.Expiry().IsZero() {
					t.Fatal("no expiry")
				}
			}
		})
	}
}

func TestOAuthOptionsFrom(t *testing.T) {
	m, err := jaas.ParseConfig(jaas.OAuthBearerLoginModule + ` required unsecuredLoginStringClaim_sub="admin" unsecuredValidatorRequiredScope="a b" unsecuredValidatorAllowableClockSkewMs="250";`)
	if err != nil {
		t.Fatal(err)
	}
	o, err := OAuthOptionsFrom(m)
	if err != nil || o.PrincipalClaim != "sub" || len(o.RequiredScope) != 2 || o.ClockSkew != 250*time.Millisecond {
		t.Fatalf("%+v %v", o, err)
	}
	m.Options["unsecuredValidatorAllowableClockSkewMs"] = "-1"
	if _, err := OAuthOptionsFrom(m); err == nil {
		t.Fatal("negative skew accepted")
	}
}
