// Package keystore reads the key stores and trust stores Kafka's ssl.*
// settings name, for both sides of a TLS connection: the broker's
// listeners and the clients of the kq commands.
//
// Supported types, as ssl.keystore.type and ssl.truststore.type spell them:
//
//	PEM     key: PKCS#8 ("PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with the
//	        key password), PKCS#1 or SEC 1, followed or preceded by the
//	        certificate chain; trust: one or more "CERTIFICATE" blocks.
//	        Also given inline (ssl.keystore.key, ssl.keystore.certificate.chain,
//	        ssl.truststore.certificates).
//	PKCS12  as keytool and openssl pkcs12 -export write it.
//	JKS     Java's own format, as keytool writes it.
//
// A key store with several private keys yields the first by alias, in
// alias order (Java's key manager may choose by key algorithm instead).
// Passwords are only ever passed in, never logged or kept in errors.
package keystore
