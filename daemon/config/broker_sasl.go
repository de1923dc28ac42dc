package config

import (
	"slices"
	"strconv"
	"strings"
)

// SASL holds the broker-wide SASL settings; per-listener values (with
// Kafka's listener.name.<listener>. prefix) are resolved by ListenerSASL.
type SASL struct {
	// SASLEnabledMechanisms is sasl.enabled.mechanisms (Kafka's default
	// GSSAPI, which kq does not serve: a SASL listener must set it).
	SASLEnabledMechanisms []string
	// SASLMechanismInterBrokerProtocol is sasl.mechanism.inter.broker.protocol.
	SASLMechanismInterBrokerProtocol string
	// ConnectionsMaxReauthMs is connections.max.reauth.ms (KIP-368); 0
	// disables re-authentication and session expiry.
	ConnectionsMaxReauthMs int64
	// ConnectionFailedAuthenticationDelayMs delays the answer to a failed
	// authentication and the close after it.
	ConnectionFailedAuthenticationDelayMs int32
	// SASLServerMaxReceiveSize bounds frames read before authentication.
	SASLServerMaxReceiveSize int32
}

func saslDefs() []Def {
	return []Def{
		{Name: "sasl.enabled.mechanisms", Type: typeList, Default: "GSSAPI", Importance: Medium, Mode: PerBroker,
			Doc:  "SASL mechanisms the broker offers: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER (GSSAPI is not served).",
			Note: "kq serves PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER; a SASL listener with only GSSAPI does not start."},
		{Name: "sasl.mechanism.inter.broker.protocol", Type: typeString, Default: "GSSAPI", Importance: Medium, Mode: PerBroker,
			Doc: "SASL mechanism brokers use between themselves."},
		{Name: "sasl.jaas.config", Type: typePassword, NullDefault: true, Importance: Medium, Mode: PerBroker,
			Doc:  "JAAS login configuration for SASL listeners; listener.name.<listener>.<mechanism>.sasl.jaas.config is Kafka's broker form.",
			Note: "Kafka's brokers ignore an unprefixed sasl.jaas.config; kq uses it for listeners and mechanisms without their own."},
		{Name: "connections.max.reauth.ms", Type: typeLong, Default: "0", Importance: Medium,
			Doc: "Lifetime of a SASL session: clients re-authenticate before it ends, or their connection closes (0: never)."},
		{Name: "connection.failed.authentication.delay.ms", Type: typeInt, Default: "100", valid: atLeast(0), Importance: Low,
			Doc: "Delay of the answer to a failed authentication, and of the close that follows."},
		{Name: "sasl.server.max.receive.size", Type: typeInt, Default: "524288", valid: atLeast(1), Importance: Low,
			Doc: "Largest frame a connection may send before it has authenticated."},
	}
}

func fillSASL(r *reader) SASL {
	return SASL{
		SASLEnabledMechanisms:                 r.list("sasl.enabled.mechanisms"),
		SASLMechanismInterBrokerProtocol:      r.str("sasl.mechanism.inter.broker.protocol"),
		ConnectionsMaxReauthMs:                r.i64("connections.max.reauth.ms"),
		ConnectionFailedAuthenticationDelayMs: r.i32("connection.failed.authentication.delay.ms"),
		SASLServerMaxReceiveSize:              r.i32("sasl.server.max.receive.size"),
	}
}

// ListenerSASL is one listener's SASL settings, overrides applied.
type ListenerSASL struct {
	// Mechanisms are listener.name.<l>.sasl.enabled.mechanisms, else
	// sasl.enabled.mechanisms.
	Mechanisms []string
	// JAAS is the JAAS text per mechanism (listener.name.<l>.<mech>.sasl.jaas.config,
	// else listener.name.<l>.sasl.jaas.config, else sasl.jaas.config),
	// absent when none is set. It holds passwords: never log it.
	JAAS map[string]string
	// MaxReauthMs is connections.max.reauth.ms per mechanism
	// (listener.name.<l>.<mech>.connections.max.reauth.ms, else the
	// listener's, else the broker's).
	MaxReauthMs map[string]int64
}

// listenerOverridePrefix is Kafka's ListenerName.configPrefix.
func listenerOverridePrefix(listener string) string {
	return "listener.name." + strings.ToLower(listener) + "."
}

// ListenerSASL resolves a listener's SASL settings.
func (b *Broker) ListenerSASL(listener string) ListenerSASL {
	p := listenerOverridePrefix(listener)
	out := ListenerSASL{Mechanisms: b.SASLEnabledMechanisms, JAAS: map[string]string{}, MaxReauthMs: map[string]int64{}}
	if v, ok := b.Value(p + "sasl.enabled.mechanisms"); ok {
		out.Mechanisms = parseCsvList(v)
	}
	reauth := b.ConnectionsMaxReauthMs
	if v, ok := b.Value(p + "connections.max.reauth.ms"); ok {
		if n, err := strconv.ParseInt(javaTrim(v), 10, 64); err == nil {
			reauth = n
		}
	}
	for _, m := range out.Mechanisms {
		mp := p + strings.ToLower(m) + "."
		if jaas, ok := b.firstValue(mp+"sasl.jaas.config", p+"sasl.jaas.config", "sasl.jaas.config"); ok {
			out.JAAS[m] = jaas
		}
		out.MaxReauthMs[m] = reauth
		if v, ok := b.Value(mp + "connections.max.reauth.ms"); ok {
			if n, err := strconv.ParseInt(javaTrim(v), 10, 64); err == nil {
				out.MaxReauthMs[m] = n
			}
		}
	}
	return out
}

func (b *Broker) firstValue(keys ...string) (string, bool) {
	for _, k := range keys {
		if v, ok := b.Value(k); ok {
			return v, true
		}
	}
	return "", false
}

// isSASLListenerKey reports listener-prefixed keys kq applies per listener.
func isSASLListenerKey(base string) bool {
	if base == "sasl.enabled.mechanisms" || base == "sasl.jaas.config" || base == "connections.max.reauth.ms" {
		return true
	}
	_, rest, ok := strings.Cut(base, ".") // <mechanism>.sasl.jaas.config
	return ok && (strings.HasSuffix(rest, "sasl.jaas.config") || strings.HasSuffix(rest, "connections.max.reauth.ms"))
}

// checkInterBrokerSASL is KafkaConfig's rule: brokers that talk SASL to each
// other must use a mechanism the inter-broker listener offers.
func (b *Broker) checkInterBrokerSASL() error {
	p := b.InterBrokerSecurityProtocol
	if p != SASLPlaintext && p != SASLSSL {
		return nil
	}
	mechs := b.ListenerSASL(b.InterBrokerListenerName).Mechanisms
	if !slices.Contains(mechs, b.SASLMechanismInterBrokerProtocol) {
		return configError("sasl.mechanism.inter.broker.protocol",
			"sasl.mechanism.inter.broker.protocol must be included in sasl.enabled.mechanisms when SASL is used for inter-broker communication")
	}
	return nil
}
