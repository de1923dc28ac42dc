package config

// listenerPrefixOnly are the keystore and truststore configs Kafka lets
// AlterConfigs change only with a listener.name.<listener>. prefix.
var listenerPrefixOnly = []string{
	"ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
	"ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password",
	"ssl.keystore.key", "ssl.keystore.certificate.chain", "ssl.truststore.certificates",
}

// securityDefs are the TLS keys of broker_ssl.go and the password
// encoder (SASL's keys are in broker_sasl.go, the authorizer's in
// broker_authz.go). Passwords are typed PASSWORD so
// DescribeConfigs never returns them.
func securityDefs() []Def {
	return append(sslDefs(), []Def{
		{Name: "password.encoder.secret", Unsupported: true, Type: typePassword, NullDefault: true, Importance: Medium,
			Doc:  "Secret that encrypts dynamically set passwords in ZooKeeper.",
			Note: "Accepted for compatibility: kq does not encrypt dynamic passwords yet."},
	}...)
}
