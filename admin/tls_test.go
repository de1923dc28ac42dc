package admin

import (
	"crypto/tls"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestPEMText(t *testing.T) {
	ca := harness.NewCA(t, "pemtext")
	joined := strings.ReplaceAll(strings.TrimSpace(string(ca.CertPEM)), "\n", " ")
	for name, in := range map[string]string{"as is": string(ca.CertPEM), "joined by continuations": joined,
		"with text around": "# CA\n" + joined + "\ntrailing"} {
		block, _ := pem.Decode(pemText(in))
		if block == nil || block.Type != "CERTIFICATE" {
			t.Errorf("%s: no certificate in %q", name, pemText(in))
			continue
		}
		if want, _ := pem.Decode(ca.CertPEM); string(block.Bytes) != string(want.Bytes) {
			t.Errorf("%s: different certificate", name)
		}
	}
	if got := pemText("-----BEGIN CERTIFICATE----- no end"); len(got) != 0 {
		t.Errorf("an unterminated block gave %q", got)
	}
}

func TestStoreType(t *testing.T) {
	tests := []struct {
		declared string
		content  []byte
		want     string
	}{
		{"", []byte("-----BEGIN CERTIFICATE-----\n"), "PEM"},
		{"", []byte{0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2}, "JKS"},
		{"", []byte{0x30, 0x82, 0x01}, "PKCS12"},
		{"pkcs12", []byte("-----BEGIN"), "PKCS12"},
	}
	for _, tt := range tests {
		if got := storeType(tt.declared, tt.content); got != tt.want {
			t.Errorf("storeType(%q, % x) = %s, want %s", tt.declared, tt.content[:4], got, tt.want)
		}
	}
}

func TestTLSConfigFromProperties(t *testing.T) {
	ca := harness.NewCA(t, "tlsconf")
	client := ca.Issue(t, "alice")
	base := func(more ...string) map[string]string {
		props := map[string]string{"security.protocol": "SSL", "ssl.truststore.location": ca.CertFile}
		for i := 0; i+1 < len(more); i += 2 {
			props[more[i]] = more[i+1]
		}
		return props
	}
	tests := []struct {
		name    string
		props   map[string]string
		check   func(*tls.Config) bool
		wantErr string
	}{
		{"roots from the truststore", base(), func(c *tls.Config) bool { return c.RootCAs != nil && !c.InsecureSkipVerify }, ""},
		{"TLS 1.3 only", base("ssl.enabled.protocols", "TLSv1.3"), func(c *tls.Config) bool {
			return c.MinVersion == tls.VersionTLS13 && c.MaxVersion == tls.VersionTLS13
		}, ""},
		{"cipher suites", base("ssl.cipher.suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA256"), func(c *tls.Config) bool {
			return len(c.CipherSuites) == 1 && c.CipherSuites[0] == tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
		}, ""},
		{"unknown cipher suite", base("ssl.cipher.suites", "TLS_RSA_WITH_RC4"), nil, "ssl.cipher.suites"},
		{"no host name check", base("ssl.endpoint.identification.algorithm", ""), func(c *tls.Config) bool {
			return c.InsecureSkipVerify && c.VerifyPeerCertificate != nil
		}, ""},
		{"bad algorithm", base("ssl.endpoint.identification.algorithm", "ldap"), nil, "ssl.endpoint.identification.algorithm"},
		{"PEM keystore", base("ssl.keystore.location", client.BothFile), func(c *tls.Config) bool { return len(c.Certificates) == 1 }, ""},
		{"PEM text keystore", base("ssl.keystore.certificate.chain", string(client.CertPEM), "ssl.keystore.key", string(client.KeyPEM)),
			func(c *tls.Config) bool { return len(c.Certificates) == 1 }, ""},
		{"PEM text needs type PEM", base("ssl.keystore.type", "JKS", "ssl.keystore.key", string(client.KeyPEM)), nil, "need ssl.keystore.type=PEM"},
		{"truststore text needs type PEM", base("ssl.truststore.type", "PKCS12", "ssl.truststore.certificates", string(ca.CertPEM)), nil, "needs ssl.truststore.type=PEM"},
		{"PEM truststore has no password", base("ssl.truststore.password", "x"), nil, "a PEM truststore has no password"},
		{"not a PEM file", base("ssl.truststore.location", writeTemp(t, "junk", "junk"), "ssl.truststore.type", "PEM"), nil, "no PEM certificate"},
		{"encrypted PEM key without password", base("ssl.keystore.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n",
			"ssl.keystore.certificate.chain", string(client.CertPEM)), nil, "set ssl.key.password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := tlsConfig(tt.props)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(cfg) {
				t.Fatalf("config %+v", cfg)
			}
		})
	}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
