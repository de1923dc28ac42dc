package config

// securityNote marks TLS and SASL settings kq accepts but does not apply.
const securityNote = "Accepted for compatibility: kq does not implement TLS or SASL listeners yet."

// listenerPrefixOnly are the keystore and truststore configs Kafka lets
// AlterConfigs change only with a listener.name.<listener>. prefix.
var listenerPrefixOnly = []string{
	"ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
	"ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password",
	"ssl.keystore.key", "ssl.keystore.certificate.chain", "ssl.truststore.certificates",
}

// securityDefs are TLS and authorization keys (SASL's are in broker_sasl.go). Passwords are typed
// PASSWORD so DescribeConfigs never returns them.
func securityDefs() []Def {
	defs := []Def{
		{Name: "ssl.keystore.type", Type: typeString, Default: "JKS", Importance: Medium, Mode: PerBroker,
			Doc: "Format of the key store file.", Note: securityNote},
		{Name: "ssl.keystore.location", Type: typeString, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Path of the key store holding the broker's certificate.", Note: securityNote},
		{Name: "ssl.keystore.password", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Password of the key store.", Note: securityNote},
		{Name: "ssl.key.password", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Password of the private key in the key store.", Note: securityNote},
		{Name: "ssl.keystore.key", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Private key in PEM form, instead of a key store file.", Note: securityNote},
		{Name: "ssl.keystore.certificate.chain", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Certificate chain in PEM form, instead of a key store file.", Note: securityNote},
		{Name: "ssl.truststore.type", Type: typeString, Default: "JKS", Importance: Medium, Mode: PerBroker,
			Doc: "Format of the trust store file.", Note: securityNote},
		{Name: "ssl.truststore.location", Type: typeString, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Path of the trust store holding trusted certificates.", Note: securityNote},
		{Name: "ssl.truststore.password", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Password of the trust store.", Note: securityNote},
		{Name: "ssl.truststore.certificates", Type: typePassword, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Trusted certificates in PEM form, instead of a trust store file.", Note: securityNote},
		{Name: "ssl.client.auth", Type: typeString, Default: "none", valid: oneOf{"required", "requested", "none"},
			Importance: Medium, Mode: PerBroker,
			Doc: "Whether TLS clients must present a certificate.", Note: securityNote},
	}
	for i := range defs {
		defs[i].Unsupported = true
	}
	return append(defs, []Def{
		{Name: "authorizer.class.name", Unsupported: true, Type: typeString, Default: "", Importance: Low,
			Doc:  "Authorizer plugin; empty disables authorization.",
			Note: "Accepted for compatibility: kq does not enforce ACLs yet."},
		{Name: "password.encoder.secret", Unsupported: true, Type: typePassword, NullDefault: true, Importance: Medium,
			Doc:  "Secret that encrypts dynamically set passwords in ZooKeeper.",
			Note: "Accepted for compatibility: kq does not encrypt dynamic passwords yet."},
	}...)
}
