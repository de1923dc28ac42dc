package admin

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestUnsecuredToken(t *testing.T) {
	now := time.Unix(1700000000, 250e6)
	tok, err := newUnsecuredToken(map[string]string{
		"unsecuredLoginStringClaim_sub":   "alice",
		"unsecuredLoginNumberClaim_level": "3",
		"unsecuredLoginListClaim_scope":   "|read|write",
		"unsecuredLoginExtension_traceId": "abc",
		"unsecuredLoginLifetimeSeconds":   "60",
		"unrelatedOption":                 "x",
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok.token, ".")
	if len(parts) != 3 || parts[2] != "" {
		t.Fatalf("token %q: want header.claims. with an empty signature", tok.token)
	}
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if string(header) != `{"alg":"none"}` {
		t.Fatalf("header %s", header)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"sub": "alice", "level": 3.0, "scope": []any{"read", "write"}, "iat": 1700000000.25, "exp": 1700000060.0}
	if !reflect.DeepEqual(claims, want) {
		t.Fatalf("claims %v, want %v", claims, want)
	}
	if !reflect.DeepEqual(tok.extensions, map[string]string{"traceId": "abc"}) {
		t.Fatalf("extensions %v", tok.extensions)
	}
}

func TestUnsecuredTokenErrors(t *testing.T) {
	now := time.Unix(1700000000, 0)
	for _, opts := range []map[string]string{
		{},
		{"unsecuredLoginStringClaim_user": "alice"},
		{"unsecuredLoginStringClaim_sub": "a", "unsecuredLoginLifetimeSeconds": "-1"},
		{"unsecuredLoginStringClaim_sub": "a", "unsecuredLoginNumberClaim_n": "NaN"},
		{"unsecuredLoginStringClaim_sub": "a", "unsecuredLoginStringClaim_exp": "1"},
		{"unsecuredLoginStringClaim_sub": "a", "unsecuredLoginExtension_auth": "x"},
		{"unsecuredLoginStringClaim_sub": "a", "unsecuredLoginExtension_trace_id": "x"},
	} {
		if _, err := newUnsecuredToken(opts, now); err == nil {
			t.Errorf("%v accepted", opts)
		}
	}
	tok, err := newUnsecuredToken(map[string]string{"unsecuredLoginPrincipalClaimName": "user", "unsecuredLoginStringClaim_user": "bob"}, now)
	if err != nil || tok.token == "" {
		t.Fatalf("renamed principal claim: %v", err)
	}
}
