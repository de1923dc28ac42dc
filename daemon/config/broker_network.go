package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Network holds listeners, socket settings and connection limits.
type Network struct {
	// Listeners are the endpoints to bind, in configured order.
	Listeners []Listener
	// AdvertisedListeners are published in ZooKeeper and Metadata responses:
	// advertised.listeners, or Listeners when unset, with empty hosts
	// replaced by the machine's hostname (see Options.Hostname).
	AdvertisedListeners []Listener
	// ListenerSecurityProtocolMap maps upper-cased listener names to their
	// protocol. Shared by every Broker built from the same layers: read only.
	ListenerSecurityProtocolMap map[string]SecurityProtocol
	// InterBrokerListenerName is inter.broker.listener.name, or the name of
	// security.inter.broker.protocol when unset.
	InterBrokerListenerName     string
	InterBrokerSecurityProtocol SecurityProtocol

	// Socket buffer sizes; -1 leaves the OS default.
	SocketSendBufferBytes    int64
	SocketReceiveBufferBytes int64
	// SocketRequestMaxBytes refuses requests larger than this.
	SocketRequestMaxBytes   int64
	SocketListenBacklogSize int32

	MaxConnections int32
	// MaxConnectionsPerIP applies to IPs without an entry in
	// MaxConnectionsPerIPOverrides (keyed by host name or IP as written).
	MaxConnectionsPerIP          int32
	MaxConnectionsPerIPOverrides map[string]int32
	MaxConnectionCreationRate    int32
	ConnectionsMaxIdleMs         int64
}

// defaultProtocolMap is Kafka's default listener.security.protocol.map, in
// the order Kafka documents it.
const defaultProtocolMap = "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT"

func networkDefs() []Def {
	return []Def{
		{Name: "listeners", Type: typeString, Default: "PLAINTEXT://:9092", Importance: High, Mode: PerBroker,
			Doc: "Comma list of NAME://host:port endpoints to bind; an empty host binds every interface."},
		{Name: "advertised.listeners", Type: typeString, NullDefault: true, Importance: High, Mode: PerBroker,
			Doc: "Endpoints published to clients and brokers when they differ from listeners; 0.0.0.0 is refused."},
		{Name: "listener.security.protocol.map", Type: typeString, Default: defaultProtocolMap, Importance: Low, Mode: PerBroker,
			Doc: "Security protocol of each listener name, as NAME:PROTOCOL pairs."},
		{Name: "inter.broker.listener.name", Type: typeString, NullDefault: true, Importance: Medium,
			Doc: "Listener brokers use to reach each other; exclusive with security.inter.broker.protocol."},
		{Name: "security.inter.broker.protocol", Type: typeString, Default: "PLAINTEXT",
			valid: oneOf(securityProtocolNames[:]), Importance: Medium,
			Doc: "Protocol brokers use to reach each other when inter.broker.listener.name is unset."},
		{Name: "socket.send.buffer.bytes", Type: typeInt, Default: "102400", Importance: High,
			Doc: "SO_SNDBUF of client sockets; -1 leaves the size to the kernel's autotuning."},
		{Name: "socket.receive.buffer.bytes", Type: typeInt, Default: "-1", Importance: High,
			Doc: "SO_RCVBUF of client sockets; -1 leaves the size to the kernel's autotuning.", Note: socketBufferNote},
		{Name: "socket.request.max.bytes", Type: typeInt, Default: "104857600", valid: atLeast(1), Importance: High,
			Doc: "Largest request the broker reads; larger ones close the connection."},
		{Name: "socket.listen.backlog.size", Type: typeInt, Default: "50", valid: atLeast(1), Importance: Medium,
			Doc: "Pending connections the listening socket queues."},
		{Name: "max.connections", Type: typeInt, Default: "2147483647", valid: atLeast(0), Importance: Medium, Mode: ClusterWide,
			Doc: "Connections the broker accepts at once, over all listeners."},
		{Name: "max.connections.per.ip", Type: typeInt, Default: "2147483647", valid: atLeast(0), Importance: Medium, Mode: ClusterWide,
			Doc: "Connections accepted from one IP address."},
		{Name: "max.connections.per.ip.overrides", Type: typeString, Default: "", Importance: Medium, Mode: ClusterWide,
			Doc: "Per-host exceptions to max.connections.per.ip, as host:count pairs."},
		{Name: "max.connection.creation.rate", Type: typeInt, Default: "2147483647", valid: atLeast(0), Importance: Medium, Mode: ClusterWide,
			Doc: "New connections accepted per second."},
		{Name: "connections.max.idle.ms", Type: typeLong, Default: "600000", Importance: Medium,
			Doc: "Idle time after which the broker closes a connection."},
	}
}

// fillNetwork reads the network area; hostname names this machine for
// advertised listeners without a host.
func fillNetwork(r *reader, hostname func() (string, error)) (Network, error) {
	n := Network{
		SocketSendBufferBytes:     r.i64("socket.send.buffer.bytes"),
		SocketReceiveBufferBytes:  r.i64("socket.receive.buffer.bytes"),
		SocketRequestMaxBytes:     r.i64("socket.request.max.bytes"),
		SocketListenBacklogSize:   r.i32("socket.listen.backlog.size"),
		MaxConnections:            r.i32("max.connections"),
		MaxConnectionsPerIP:       r.i32("max.connections.per.ip"),
		MaxConnectionCreationRate: r.i32("max.connection.creation.rate"),
		ConnectionsMaxIdleMs:      r.i64("connections.max.idle.ms"),
	}
	var err error
	if n.MaxConnectionsPerIPOverrides, err = parseConnectionOverrides(r); err != nil {
		return n, err
	}
	if n.ListenerSecurityProtocolMap, err = parseProtocolMap("listener.security.protocol.map", r.str("listener.security.protocol.map")); err != nil {
		return n, err
	}
	if err = n.fillListeners(r, hostname); err != nil {
		return n, err
	}
	return n, n.fillInterBroker(r)
}

func (n *Network) fillListeners(r *reader, hostname func() (string, error)) error {
	var err error
	n.Listeners, err = parseListeners("listeners", r.str("listeners"), n.ListenerSecurityProtocolMap, true)
	if err != nil {
		return err
	}
	if len(n.Listeners) == 0 {
		return configError("listeners", "listeners must name at least one endpoint")
	}
	explicit := r.isSet("advertised.listeners")
	advertised := n.Listeners
	if explicit {
		advertised, err = parseListeners("advertised.listeners", r.str("advertised.listeners"), n.ListenerSecurityProtocolMap, false)
		if err != nil {
			return err
		}
		if err := checkAdvertised(advertised, n.Listeners); err != nil {
			return err
		}
	}
	n.AdvertisedListeners, err = resolveAdvertisedHosts(advertised, explicit, hostname)
	return err
}

// checkAdvertised applies Kafka's rules: no 0.0.0.0, names a subset of
// the bound listeners' names.
func checkAdvertised(advertised, bound []Listener) error {
	for _, l := range advertised {
		if l.Host == "0.0.0.0" {
			return configError("advertised.listeners",
				"advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.")
		}
	}
	names := listenerNames(bound)
	for _, l := range advertised {
		if !slices.Contains(names, l.Name) {
			return configError("advertised.listeners", fmt.Sprintf(
				"advertised.listeners listener names must be equal to or a subset of the ones defined in listeners. "+
					"Found %s. The valid options based on currently configured listeners are %s",
				strings.Join(listenerNames(advertised), ","), strings.Join(names, ",")))
		}
	}
	return nil
}

// resolveAdvertisedHosts gives every advertised listener a host clients can
// dial. An empty host becomes the hostname, as in Kafka. When advertised
// listeners are inherited from listeners, wildcard binds (0.0.0.0, ::) also
// become the hostname: Kafka refuses to start in that case, kq advertises a
// dialable name instead.
func resolveAdvertisedHosts(ls []Listener, explicit bool, hostname func() (string, error)) ([]Listener, error) {
	out := slices.Clone(ls)
	for i := range out {
		h := out[i].Host
		if h != "" && (explicit || (h != "0.0.0.0" && h != "::")) {
			continue
		}
		name, err := hostname()
		if err != nil {
			return nil, fmt.Errorf("advertise listener %s: look up hostname: %w", out[i].Name, err)
		}
		out[i].Host = name
	}
	return out, nil
}

func listenerNames(ls []Listener) []string {
	names := make([]string, len(ls))
	for i, l := range ls {
		names[i] = l.Name
	}
	return names
}

// fillInterBroker resolves the listener brokers use between themselves,
// with KafkaConfig's rules and messages.
func (n *Network) fillInterBroker(r *reader) error {
	if r.isSet("inter.broker.listener.name") {
		if r.isSet("security.inter.broker.protocol") {
			return configError("inter.broker.listener.name",
				"Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.")
		}
		n.InterBrokerListenerName = strings.ToUpper(r.str("inter.broker.listener.name"))
		proto, ok := n.ListenerSecurityProtocolMap[n.InterBrokerListenerName]
		if !ok {
			return configError("inter.broker.listener.name", "Listener with name "+n.InterBrokerListenerName+
				" defined in inter.broker.listener.name not found in listener.security.protocol.map.")
		}
		n.InterBrokerSecurityProtocol = proto
	} else {
		proto, _ := ParseSecurityProtocol(r.str("security.inter.broker.protocol")) // validated by oneOf
		n.InterBrokerListenerName, n.InterBrokerSecurityProtocol = proto.String(), proto
	}
	names := listenerNames(n.AdvertisedListeners)
	if !slices.Contains(names, n.InterBrokerListenerName) {
		return configError("inter.broker.listener.name",
			"inter.broker.listener.name must be a listener name defined in advertised.listeners. "+
				"The valid options based on currently configured listeners are "+strings.Join(names, ","))
	}
	return nil
}

// parseConnectionOverrides reads max.connections.per.ip.overrides.
func parseConnectionOverrides(r *reader) (map[string]int32, error) {
	const key = "max.connections.per.ip.overrides"
	value := r.str(key)
	out := map[string]int32{}
	for _, entry := range parseCsvList(value) {
		colon := strings.LastIndex(entry, ":")
		n, err := strconv.ParseInt(javaTrim(entry[colon+1:]), 10, 32)
		if colon < 0 || err != nil || n < 0 {
			return nil, invalidValue(key, value, "Error parsing configuration property '"+key+
				"': entry '"+entry+"' is not of the form host:count")
		}
		out[javaTrim(entry[:colon])] = int32(n)
	}
	if r.i32("max.connections.per.ip") == 0 && len(out) == 0 {
		return nil, invalidValue("max.connections.per.ip", "0",
			"max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property is set.")
	}
	return out, nil
}

// socketBufferNote says why kq's receive buffer defaults are -1 where
// Kafka's are 102400 (65536 for followers): a fixed SO_RCVBUF turns off
// Linux's TCP autotuning.
const socketBufferNote = "kq's default is -1 (Kafka's: 102400, and 65536 for replica.socket.receive.buffer.bytes): " +
	"a fixed receive buffer turns off Linux's TCP autotuning, which on loopback cost kq a fifth of its produce throughput " +
	"and a fifth more CPU per byte (docs/performance.md). Set Kafka's values to get Kafka's behaviour."
