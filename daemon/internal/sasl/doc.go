// Package sasl is the broker side of Kafka's SASL mechanisms: PLAIN,
// SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802/7677) and OAUTHBEARER with
// Kafka's unsecured-JWT validator, plus the JAAS configuration text
// (sasl.jaas.config) they are configured with and the SCRAM credential
// format Kafka stores in ZooKeeper.
//
// A Server is one exchange on one connection (Kafka's SaslServer): Step
// takes each client token and returns the server's. The network layer
// (daemon/internal/server) owns the Kafka state machine around it
// (SaslHandshake, SaslAuthenticate, re-authentication); this package only
// knows the mechanisms' bytes, so it has no sockets and is fuzzed directly.
//
// Errors: a *Failure carries a message meant for the client (Kafka's
// SaslAuthenticationException); any other error is answered with Kafka's
// generic "Authentication failed during authentication due to invalid
// credentials with SASL mechanism X", so it never tells a client whether a
// user exists. No error, log line or message carries a password, salted
// password, key or proof. Secrets are compared with
// crypto/subtle.ConstantTimeCompare.
package sasl
