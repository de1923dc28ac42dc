package config

import (
	"crypto/tls"
	"strings"
	"testing"
)

func TestListenerSSL(t *testing.T) {
	b, _, err := ParseWithOptions(map[string]string{
		"listeners":                                    "INTERNAL://:9092,EXTERNAL://:9093",
		"listener.security.protocol.map":               "INTERNAL:SSL,EXTERNAL:SSL",
		"inter.broker.listener.name":                   "INTERNAL",
		"ssl.keystore.location":                        "/base.jks",
		"ssl.keystore.password":                        "base-secret",
		"ssl.client.auth":                              "required",
		"listener.name.external.ssl.keystore.location": "/external.p12",
		"listener.name.external.ssl.keystore.type":     "PKCS12",
		"listener.name.external.ssl.client.auth":       "none",
		"ssl.enabled.protocols":                        "TLSv1.3",
		"ssl.cipher.suites":                            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
	}, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		listener, location, typ, password, clientAuth string
	}{
		{"INTERNAL", "/base.jks", "JKS", "base-secret", "required"},
		{"EXTERNAL", "/external.p12", "PKCS12", "base-secret", "none"},
	}
	for _, tt := range tests {
		s := b.ListenerSSL(tt.listener)
		if s.KeyStore.Location != tt.location || s.KeyStore.Type != tt.typ || s.KeyStore.Password != tt.password || s.ClientAuth != tt.clientAuth {
			t.Errorf("ListenerSSL(%s) = %+v, want location %s type %s client auth %s", tt.listener, s, tt.location, tt.typ, tt.clientAuth)
		}
		if lo, hi := s.TLSVersions(); lo != tls.VersionTLS13 || hi != tls.VersionTLS13 {
			t.Errorf("ListenerSSL(%s) versions %x..%x, want TLS 1.3 only", tt.listener, lo, hi)
		}
		if len(s.CipherSuites) != 1 || s.EndpointIdentification != "https" || s.PrincipalMappingRules != "DEFAULT" {
			t.Errorf("ListenerSSL(%s) = %+v, want one cipher suite and Kafka's defaults", tt.listener, s)
		}
	}
}

func TestListenerSSLRefusals(t *testing.T) {
	base := map[string]string{"listeners": "SSL://:9093,PLAINTEXT://:9092"}
	tests := []struct {
		key, value, wantErr string
	}{
		{"ssl.client.auth", "sometimes", "ssl.client.auth"},
		{"listener.name.ssl.ssl.client.auth", "sometimes", "listener.name.ssl.ssl.client.auth"},
		{"ssl.keystore.type", "BKS", "JKS, PKCS12 and PEM"},
		{"ssl.enabled.protocols", "SSLv3", "ssl.enabled.protocols"},
		{"ssl.cipher.suites", "TLS_NOT_A_SUITE", "unknown cipher suite"},
		{"ssl.principal.mapping.rules", "RULE:(?=x)/y/", "ssl.principal.mapping.rules"},
		{"listener.name.ssl.ssl.principal.mapping.rules", "garbage", "invalid rule"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			props := map[string]string{tt.key: tt.value}
			for k, v := range base {
				props[k] = v
			}
			_, _, err := ParseWithOptions(props, testOptions)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Parse with %s=%s: error %v, want one containing %q", tt.key, tt.value, err, tt.wantErr)
			}
		})
	}
}
