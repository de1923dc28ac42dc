package config

// securityNote marks SASL settings kq accepts but does not apply.
const securityNote = "Accepted for compatibility: kq does not implement SASL listeners yet."

// listenerPrefixOnly are the keystore and truststore configs Kafka lets
// AlterConfigs change only with a listener.name.<listener>. prefix.
var listenerPrefixOnly = []string{
	"ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
	"ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password",
	"ssl.keystore.key", "ssl.keystore.certificate.chain", "ssl.truststore.certificates",
}

// securityDefs are SASL and authorization keys, and the TLS keys of
// broker_ssl.go. Passwords are typed PASSWORD so DescribeConfigs never
// returns them.
func securityDefs() []Def {
	defs := []Def{
		{Name: "sasl.enabled.mechanisms", Type: typeList, Default: "GSSAPI", Importance: Medium, Mode: PerBroker,
			Doc: "SASL mechanisms the broker offers.", Note: securityNote},
		{Name: "sasl.mechanism.inter.broker.protocol", Type: typeString, Default: "GSSAPI", Importance: Medium, Mode: PerBroker,
			Doc: "SASL mechanism brokers use between themselves.", Note: securityNote},
		{Name: "sasl.jaas.config", Type: typePassword, NullDefault: true, Importance: Medium, Mode: PerBroker,
			Doc: "JAAS login configuration for SASL listeners.", Note: securityNote},
	}
	for i := range defs {
		defs[i].Unsupported = true
	}
	defs = append(defs, sslDefs()...)
	return append(defs, []Def{
		{Name: "authorizer.class.name", Unsupported: true, Type: typeString, Default: "", Importance: Low,
			Doc:  "Authorizer plugin; empty disables authorization.",
			Note: "Accepted for compatibility: kq does not enforce ACLs yet."},
		{Name: "password.encoder.secret", Unsupported: true, Type: typePassword, NullDefault: true, Importance: Medium,
			Doc:  "Secret that encrypts dynamically set passwords in ZooKeeper.",
			Note: "Accepted for compatibility: kq does not encrypt dynamic passwords yet."},
	}...)
}
