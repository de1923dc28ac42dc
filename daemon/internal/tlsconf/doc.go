// Package tlsconf builds Go TLS configurations from a listener's Kafka
// ssl.* settings (config.ListenerSSL): the server side of SSL and SASL_SSL
// listeners, and the client side this broker uses to reach other brokers
// over the inter-broker listener.
//
// Both reload without a restart. Every new connection asks the Reloader for
// its configuration; at most once per CheckInterval the Reloader compares
// the settings (which dynamic broker configs may change, as Kafka's
// AlterConfigs on listener.name.<l>.ssl.keystore.location does) and the
// modification time and size of the store files with what it built from,
// and rebuilds when they differ. A rebuild that fails (a half-written file,
// a wrong password) keeps the previous configuration and logs the reason;
// connections already open keep the certificates they started with.
package tlsconf
