package security

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

func TestStartupRefusals(t *testing.T) {
	p := newPKI(t)
	tests := []struct {
		name    string
		props   map[string]string
		wantErr string
	}{
		{"SASL listener with only GSSAPI", map[string]string{"listeners": "SASL_SSL://127.0.0.1:0", "security.inter.broker.protocol": "SASL_SSL"}, "GSSAPI is not supported"},
		{"wrong key store password", map[string]string{"listeners": "SSL://127.0.0.1:0", "ssl.keystore.password": "not-the-" + storePassword[:4]}, "keystore.p12"},
		{"no key store", map[string]string{"listeners": "SSL://127.0.0.1:0", "ssl.keystore.location": ""}, "no key store"},
		{"bad mapping rule", map[string]string{"listeners": "SSL://127.0.0.1:0", "ssl.principal.mapping.rules": "RULE:x"}, "ssl.principal.mapping.rules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := p.brokerStores(t, 1)
			props["broker.id"] = "1"
			props["log.dirs"] = t.TempDir()
			props["security.inter.broker.protocol"] = "SSL"
			for k, v := range tt.props {
				if v == "" {
					delete(props, k)
				} else {
					props[k] = v
				}
			}
			conf := filepath.Join(t.TempDir(), "server.properties")
			var sb strings.Builder
			for k, v := range props {
				fmt.Fprintf(&sb, "%s=%s\n", k, v)
			}
			if err := os.WriteFile(conf, []byte(sb.String()), 0o600); err != nil {
				t.Fatal(err)
			}
			res := harness.KQWithin(t, 30*time.Second, "server", conf)
			if res.Code == 0 || !strings.Contains(res.Stderr, tt.wantErr) {
				t.Fatalf("kq server: exit %d, stderr %q; want a failure mentioning %q", res.Code, res.Stderr, tt.wantErr)
			}
			checkNoSecrets(t, res.Stdout+res.Stderr)
		})
	}
}
