// Package sslprincipal names the client of a mutual TLS connection the way
// Kafka does: the certificate subject in RFC 2253 form (Java's
// X500Principal.getName()), mapped through ssl.principal.mapping.rules.
//
// Differences from Kafka: rule patterns are Go (RE2) regular expressions,
// so Java-only constructs (look-around, back-references inside patterns)
// are refused when the configuration is read; and where Java's replaceAll
// would also replace an empty match after a whole-name match (a pattern
// such as ".*" without anchors), the replacement is applied once.
package sslprincipal
