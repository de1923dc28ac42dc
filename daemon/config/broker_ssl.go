package config

import (
	"crypto/tls"
	"slices"
	"strings"

	"github.com/kqhq/kq/daemon/internal/sslprincipal"
	"github.com/kqhq/kq/store/keystore"
)

// ListenerSSL is the TLS configuration of one listener: each key's
// listener.name.<listener>.<key> override when set, else the key itself,
// as Kafka resolves a listener's ssl.* settings.
type ListenerSSL struct {
	KeyStore   keystore.KeyStore
	TrustStore keystore.TrustStore
	// ClientAuth is ssl.client.auth: none, requested or required.
	ClientAuth string
	// EnabledProtocols is ssl.enabled.protocols (TLSv1.2, TLSv1.3, ...).
	EnabledProtocols []string
	// CipherSuites is ssl.cipher.suites; empty allows Go's defaults.
	CipherSuites []string
	// EndpointIdentification is ssl.endpoint.identification.algorithm:
	// "https" checks the host name of a server this broker connects to
	// (inter-broker), "" does not.
	EndpointIdentification string
	// PrincipalMappingRules is ssl.principal.mapping.rules.
	PrincipalMappingRules string
}

// sslSettingKeys are the keys a listener's TLS settings are read from.
var sslSettingKeys = []string{
	"ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
	"ssl.keystore.key", "ssl.keystore.certificate.chain",
	"ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.certificates",
	"ssl.client.auth", "ssl.enabled.protocols", "ssl.cipher.suites", "ssl.endpoint.identification.algorithm",
	"ssl.principal.mapping.rules", "ssl.protocol",
}

// tlsProtocols are the ssl.enabled.protocols names Go implements.
var tlsProtocols = map[string]uint16{
	"TLSv1": tls.VersionTLS10, "TLSv1.1": tls.VersionTLS11, "TLSv1.2": tls.VersionTLS12, "TLSv1.3": tls.VersionTLS13,
}

func sslDefs() []Def {
	return []Def{
		{Name: "ssl.keystore.type", Type: typeString, Default: "JKS", valid: storeTypes{}, Importance: Medium, Mode: PerBroker,
			Doc: "Format of the key store file: JKS, PKCS12 or PEM."},
		{Name: "ssl.keystore.location", Type: typeString, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Path of the key store holding the broker's certificate."},
		{Name: "ssl.keystore.password", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Password of the key store."},
		{Name: "ssl.key.password", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Password of the private key in the key store."},
		{Name: "ssl.keystore.key", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Private key in PEM form, instead of a key store file."},
		{Name: "ssl.keystore.certificate.chain", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Certificate chain in PEM form, instead of a key store file."},
		{Name: "ssl.truststore.type", Type: typeString, Default: "JKS", valid: storeTypes{}, Importance: Medium, Mode: PerBroker,
			Doc: "Format of the trust store file: JKS, PKCS12 or PEM."},
		{Name: "ssl.truststore.location", Type: typeString, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Path of the trust store holding trusted certificates."},
		{Name: "ssl.truststore.password", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Password of the trust store."},
		{Name: "ssl.truststore.certificates", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Trusted certificates in PEM form, instead of a trust store file."},
		{Name: "ssl.client.auth", Type: typeString, Default: "none", valid: oneOf{"required", "requested", "none"},
			Importance: Medium, Mode: PerBroker,
			Doc: "Whether TLS clients must present a certificate."},
		{Name: "ssl.enabled.protocols", Type: typeList, Default: "TLSv1.2,TLSv1.3", valid: listOf{"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"},
			Importance: Medium, Mode: PerBroker,
			Doc:  "TLS versions accepted.",
			Note: "kq accepts the range from the lowest to the highest version listed."},
		{Name: "ssl.protocol", Type: typeString, Default: "TLSv1.3", Importance: Medium, Mode: PerBroker,
			Doc:  "Protocol of the SSL context.",
			Note: "Accepted for compatibility: ssl.enabled.protocols decides the versions."},
		{Name: "ssl.cipher.suites", Type: typeList, Default: "", valid: cipherSuites{}, Importance: Low, Mode: PerBroker,
			Doc:  "Cipher suites allowed for TLS 1.2 and below, by IANA name; empty allows the defaults.",
			Note: "TLS 1.3 suites are always enabled (Go does not make them configurable)."},
		{Name: "ssl.endpoint.identification.algorithm", Type: typeString, Default: "https", Importance: Low, Mode: PerBroker,
			Doc: "https checks the host name of brokers this broker connects to against their certificates; empty skips the check."},
		{Name: "ssl.principal.mapping.rules", Type: typeString, Default: sslprincipal.DefaultRules, valid: mappingRules{}, Importance: Low,
			Doc: "Rules mapping a client certificate's distinguished name to a user name."},
	}
}

// storeTypes accepts the key store types kq reads, case-insensitively.
type storeTypes struct{}

func (storeTypes) check(key string, v any) error {
	s, _ := v.(string)
	switch strings.ToUpper(s) {
	case keystore.TypeJKS, keystore.TypePKCS12, keystore.TypePEM:
		return nil
	}
	return invalidValue(key, s, "kq reads key stores of type JKS, PKCS12 and PEM")
}

func (storeTypes) String() string { return "[JKS, PKCS12, PEM]" }

// cipherSuites accepts IANA cipher suite names Go knows.
type cipherSuites struct{}

func (cipherSuites) check(key string, v any) error {
	names, _ := v.([]string)
	for _, n := range names {
		if n == "" {
			continue
		}
		if _, ok := CipherSuiteID(n); !ok {
			return invalidValue(key, strings.Join(names, ","), "unknown cipher suite "+n)
		}
	}
	return nil
}

func (cipherSuites) String() string { return "" }

// CipherSuiteID returns Go's id of an IANA cipher suite name; TLS 1.3
// suites report ok with id 0, since they cannot be chosen.
func CipherSuiteID(name string) (uint16, bool) {
	for _, cs := range slices.Concat(tls.CipherSuites(), tls.InsecureCipherSuites()) {
		if cs.Name == name {
			if slices.Equal(cs.SupportedVersions, []uint16{tls.VersionTLS13}) {
				return 0, true
			}
			return cs.ID, true
		}
	}
	return 0, false
}

// mappingRules checks ssl.principal.mapping.rules when the config is read,
// as Kafka does, rather than on the first client certificate.
type mappingRules struct{}

func (mappingRules) check(key string, v any) error {
	s, _ := v.(string)
	if _, err := sslprincipal.Parse(s); err != nil {
		return invalidValue(key, s, err.Error())
	}
	return nil
}

func (mappingRules) String() string { return "" }

// TLSVersions returns the lowest and highest of ssl.enabled.protocols.
func (s ListenerSSL) TLSVersions() (lo, hi uint16) {
	for _, p := range s.EnabledProtocols {
		v, ok := tlsProtocols[p]
		if !ok {
			continue
		}
		if lo == 0 || v < lo {
			lo = v
		}
		hi = max(hi, v)
	}
	return lo, hi
}

// listenerPrefix is the prefix of a listener's overrides; Kafka lower-cases
// the listener name in it.
func listenerPrefix(listener string) string {
	return "listener.name." + strings.ToLower(listener) + "."
}

// ListenerSSL resolves the TLS settings of a listener.
func (b *Broker) ListenerSSL(listener string) ListenerSSL {
	get := func(key string) string { return b.listenerValue(listener, key) }
	return ListenerSSL{
		KeyStore: keystore.KeyStore{Type: get("ssl.keystore.type"), Location: get("ssl.keystore.location"),
			Password: get("ssl.keystore.password"), KeyPassword: get("ssl.key.password"),
			Key: get("ssl.keystore.key"), Chain: get("ssl.keystore.certificate.chain")},
		TrustStore: keystore.TrustStore{Type: get("ssl.truststore.type"), Location: get("ssl.truststore.location"),
			Password: get("ssl.truststore.password"), Certificates: get("ssl.truststore.certificates")},
		ClientAuth:             get("ssl.client.auth"),
		EnabledProtocols:       nonEmpty(splitList(get("ssl.enabled.protocols"))),
		CipherSuites:           nonEmpty(splitList(get("ssl.cipher.suites"))),
		EndpointIdentification: get("ssl.endpoint.identification.algorithm"),
		PrincipalMappingRules:  get("ssl.principal.mapping.rules"),
	}
}

// listenerValue is the listener's override of key, else the key's value.
func (b *Broker) listenerValue(listener, key string) string {
	if v, ok := b.layers.merged()[listenerPrefix(listener)+key]; ok {
		return javaTrim(v)
	}
	v, _ := b.Value(key)
	return v
}

func nonEmpty(list []string) []string {
	return slices.DeleteFunc(list, func(s string) bool { return s == "" })
}

// checkListenerSSL validates the listener.name.<l>.ssl.* overrides of
// every listener with their keys' rules, so a bad one stops start-up with
// its name. Whether the stores exist and open is checked when the broker
// builds its TLS configuration, as Kafka checks it creating its SslFactory.
func checkListenerSSL(b *Broker) error {
	for _, l := range b.Listeners {
		if err := b.checkListenerOverrides(l.Name); err != nil {
			return err
		}
	}
	return nil
}

// checkListenerOverrides parses each listener.name.<l>.ssl.* value with
// its key's rules.
func (b *Broker) checkListenerOverrides(listener string) error {
	merged := b.layers.merged()
	for _, key := range sslSettingKeys {
		raw, ok := merged[listenerPrefix(listener)+key]
		if !ok {
			continue
		}
		def, _ := LookupBroker(key)
		def.Name = listenerPrefix(listener) + key
		if _, err := parseChecked(&def, raw); err != nil {
			return err
		}
	}
	return nil
}

// isAppliedListenerOverride reports listener.name.<l>.<key> keys kq applies.
func isAppliedListenerOverride(key string) bool {
	base, ok := listenerBase(key)
	return ok && slices.Contains(sslSettingKeys, base)
}
