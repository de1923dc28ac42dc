package admin

// Security properties are applied together by applySecurity once every
// property is known; here they are only checked where a lone value can be.
const (
	javaTLS    = "kq's TLS is Go's crypto/tls, not a Java provider"
	oidcClient = "kq's OAUTHBEARER client sends Kafka's unsecured JWT from sasl.jaas.config; OIDC token endpoints are not supported"
	kerberos   = "GSSAPI (Kerberos) is not supported"
)

func securityRules() []propertyRule {
	rules := []propertyRule{
		honoured("security.protocol", ScopeAll, "PLAINTEXT, SSL (kgo.DialTLSConfig), SASL_PLAINTEXT (kgo.SASL) or SASL_SSL (both)", check(func(v string) error {
			_, _, err := securityProtocol(v)
			return err
		})),
		honoured("sasl.mechanism", ScopeAll, "PLAIN (sasl/plain), SCRAM-SHA-256 and SCRAM-SHA-512 (sasl/scram), OAUTHBEARER (sasl/oauth); Kafka's default GSSAPI is refused", nil),
		secret(honoured("sasl.jaas.config", ScopeAll, "one login module: PlainLoginModule or ScramLoginModule (username, password, tokenauth), OAuthBearerLoginModule (Kafka's unsecured JWT: unsecuredLoginStringClaim_sub and the other unsecuredLogin* options)", nil)),
		honoured("sasl.username", ScopeAll, "librdkafka's key: the user when sasl.jaas.config is not set", nil),
		secret(honoured("sasl.password", ScopeAll, "librdkafka's key: the password when sasl.jaas.config is not set", nil)),
		honoured("ssl.protocol", ScopeAll, "TLSv1.2, TLSv1.3 or TLS; the versions offered are those of ssl.enabled.protocols", nil),
		honoured("ssl.enabled.protocols", ScopeAll, "tls.Config MinVersion and MaxVersion (TLSv1.2, TLSv1.3)", nil),
		honoured("ssl.cipher.suites", ScopeAll, "tls.Config CipherSuites by IANA name (TLS 1.3 suites are always on)", nil),
		honoured("ssl.endpoint.identification.algorithm", ScopeAll, "https (the default) checks the broker's host name; empty keeps the chain check but skips the host name", nil),
		honoured("ssl.truststore.location", ScopeAll, "the CA certificates to trust (tls.Config RootCAs); without it the system's roots", nil),
		honoured("ssl.truststore.type", ScopeAll, "PEM, PKCS12 or JKS; when not set, told from the file's content", nil),
		secret(honoured("ssl.truststore.password", ScopeAll, "opens a PKCS12 or JKS truststore", nil)),
		honoured("ssl.truststore.certificates", ScopeAll, "CA certificates as PEM text (ssl.truststore.type=PEM)", nil),
		honoured("ssl.keystore.location", ScopeAll, "the client certificate and key for mutual TLS (tls.Config Certificates)", nil),
		honoured("ssl.keystore.type", ScopeAll, "PEM, PKCS12 or JKS; when not set, told from the file's content", nil),
		secret(honoured("ssl.keystore.password", ScopeAll, "opens a PKCS12 or JKS keystore", nil)),
		secret(honoured("ssl.key.password", ScopeAll, "decrypts the private key (keystore entry or encrypted PEM key)", nil)),
		secret(honoured("ssl.keystore.key", ScopeAll, "the client's private key as PEM text (ssl.keystore.type=PEM)", nil)),
		honoured("ssl.keystore.certificate.chain", ScopeAll, "the client's certificate chain as PEM text (ssl.keystore.type=PEM)", nil),
		honoured("ssl.ca.location", ScopeAll, "librdkafka's key: a PEM file of CA certificates, as ssl.truststore.location", nil),
		honoured("ssl.certificate.location", ScopeAll, "librdkafka's key: the client certificate (PEM file)", nil),
		honoured("ssl.key.location", ScopeAll, "librdkafka's key: the client private key (PEM file)", nil),
		honoured("enable.ssl.certificate.verification", ScopeAll, "librdkafka's key: false trusts any broker certificate", check(func(v string) error {
			_, err := parseBool(v)
			return err
		})),
		honoured("ssl.keymanager.algorithm", ScopeAll, "SunX509 (Java's default) only: the key manager kq's TLS behaves as", only(javaTLS, "SunX509")),
		honoured("ssl.trustmanager.algorithm", ScopeAll, "PKIX (Java's default) only: Go verifies chains the PKIX way", only(javaTLS, "PKIX")),
		refused("ssl.provider", ScopeAll, javaTLS),
		refused("ssl.secure.random.implementation", ScopeAll, javaTLS),
		refused("ssl.engine.factory.class", ScopeAll, "kq cannot load Java classes"),
		refused("sasl.client.callback.handler.class", ScopeAll, "kq cannot load Java classes"),
		refused("sasl.login.callback.handler.class", ScopeAll, "kq cannot load Java classes; "+oidcClient),
		refused("sasl.login.class", ScopeAll, "kq cannot load Java classes"),
		refused("sasl.login.refresh.window.factor", ScopeAll, "kq makes a new token each time it authenticates"),
		refused("sasl.login.refresh.window.jitter", ScopeAll, "kq makes a new token each time it authenticates"),
		refused("sasl.login.refresh.min.period.seconds", ScopeAll, "kq makes a new token each time it authenticates"),
		refused("sasl.login.refresh.buffer.seconds", ScopeAll, "kq makes a new token each time it authenticates"),
	}
	for _, name := range []string{"sasl.login.connect.timeout.ms", "sasl.login.read.timeout.ms",
		"sasl.login.retry.backoff.ms", "sasl.login.retry.backoff.max.ms", "sasl.oauthbearer.token.endpoint.url",
		"sasl.oauthbearer.scope.claim.name", "sasl.oauthbearer.sub.claim.name", "sasl.oauthbearer.jwks.endpoint.url",
		"sasl.oauthbearer.jwks.endpoint.refresh.ms", "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms",
		"sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms", "sasl.oauthbearer.clock.skew.seconds",
		"sasl.oauthbearer.expected.audience", "sasl.oauthbearer.expected.issuer"} {
		rules = append(rules, refused(name, ScopeAll, oidcClient))
	}
	for _, name := range []string{"sasl.kerberos.service.name", "sasl.kerberos.kinit.cmd",
		"sasl.kerberos.ticket.renew.window.factor", "sasl.kerberos.ticket.renew.jitter",
		"sasl.kerberos.min.time.before.relogin"} {
		rules = append(rules, refused(name, ScopeAll, kerberos))
	}
	return rules
}

// isSecret reports whether key's value must never be shown.
func isSecret(key string) bool {
	r, ok := propertyRules[key]
	return ok && r.Secret
}
