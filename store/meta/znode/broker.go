package znode

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
)

// BrokerRegistrationVersion is the version Encode writes (Kafka 2.7+).
const BrokerRegistrationVersion = 5

// Endpoint is one advertised listener of a broker.
type Endpoint struct {
	Listener         string // listener name: PLAINTEXT, INTERNAL, ...
	SecurityProtocol string // PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
	Host             string
	Port             int32
}

// String is the endpoint as Kafka writes it: LISTENER://host:port.
func (e Endpoint) String() string {
	return e.Listener + "://" + net.JoinHostPort(e.Host, strconv.Itoa(int(e.Port)))
}

// FeatureRange is a supported feature's version range.
type FeatureRange struct {
	Min int16 `json:"min_version"`
	Max int16 `json:"max_version"`
}

// BrokerRegistration is /brokers/ids/<id>, the ephemeral node by which a
// live broker announces itself.
type BrokerRegistration struct {
	ID        int32 // from the path, not the JSON
	Version   int   // as read; Encode writes BrokerRegistrationVersion
	Endpoints []Endpoint
	JMXPort   int32 // -1 when JMX is off
	Timestamp int64 // registration time, ms since the epoch
	Rack      string
	Features  map[string]FeatureRange
}

type brokerJSON struct {
	Version   *int                    `json:"version"`
	Host      *string                 `json:"host"`
	Port      int32                   `json:"port"`
	JMXPort   *int32                  `json:"jmx_port"`
	Timestamp msString                `json:"timestamp"`
	Endpoints []string                `json:"endpoints"`
	Protocols map[string]string       `json:"listener_security_protocol_map"`
	Rack      *string                 `json:"rack"`
	Features  map[string]FeatureRange `json:"features"`
}

// Encode writes version 5. The top-level host and port, for clients older
// than multiple listeners, are those of the first PLAINTEXT endpoint (null
// and -1 without one), as Kafka does.
func (b BrokerRegistration) Encode() []byte {
	j := brokerJSON{
		Version: ptr(BrokerRegistrationVersion), Port: -1, JMXPort: ptr(b.JMXPort),
		Timestamp: msString(b.Timestamp), Endpoints: []string{}, Protocols: map[string]string{},
		Features: b.Features,
	}
	for _, e := range b.Endpoints {
		j.Endpoints = append(j.Endpoints, e.String())
		j.Protocols[e.Listener] = e.SecurityProtocol
		if j.Host == nil && e.SecurityProtocol == "PLAINTEXT" {
			j.Host, j.Port = ptr(e.Host), e.Port
		}
	}
	if b.Rack != "" {
		j.Rack = &b.Rack
	}
	if j.Features == nil {
		j.Features = map[string]FeatureRange{}
	}
	return marshal(j)
}

func ptr[T any](v T) *T { return &v }

// DecodeBrokerRegistration reads /brokers/ids/<id>, versions 1 to 5.
func DecodeBrokerRegistration(path string, data []byte) (BrokerRegistration, error) {
	id, err := strconv.ParseInt(path[strings.LastIndexByte(path, '/')+1:], 10, 32)
	if err != nil {
		return BrokerRegistration{}, malformed(path, "path does not end in a broker id")
	}
	var j brokerJSON
	if err := unmarshal(path, data, &j); err != nil {
		return BrokerRegistration{}, err
	}
	b := BrokerRegistration{ID: int32(id), Timestamp: int64(j.Timestamp), Features: j.Features}
	if b.Version, err = requireVersion(path, j.Version, 1, BrokerRegistrationVersion); err != nil {
		return BrokerRegistration{}, err
	}
	if j.JMXPort == nil {
		return BrokerRegistration{}, malformed(path, "no jmx_port")
	}
	b.JMXPort = *j.JMXPort
	if j.Rack != nil {
		b.Rack = *j.Rack
	}
	if b.Endpoints, err = brokerEndpoints(path, j, b.Version); err != nil {
		return BrokerRegistration{}, err
	}
	return b, nil
}

func brokerEndpoints(path string, j brokerJSON, version int) ([]Endpoint, error) {
	if version == 1 {
		if j.Host == nil {
			return nil, malformed(path, "version 1 without host")
		}
		return []Endpoint{{Listener: "PLAINTEXT", SecurityProtocol: "PLAINTEXT", Host: *j.Host, Port: j.Port}}, nil
	}
	if j.Endpoints == nil {
		return nil, malformed(path, "no endpoints")
	}
	out := make([]Endpoint, 0, len(j.Endpoints))
	for _, s := range j.Endpoints {
		e, err := ParseEndpoint(s, j.Protocols)
		if err != nil {
			return nil, malformed(path, "%v", err)
		}
		out = append(out, e)
	}
	return out, nil
}

// ParseEndpoint parses LISTENER://host:port. The security protocol comes
// from protocols (listener_security_protocol_map); without an entry the
// listener must be named after its protocol, as Kafka's default map says.
func ParseEndpoint(s string, protocols map[string]string) (Endpoint, error) {
	listener, hostPort, ok := strings.Cut(s, "://")
	if !ok || listener == "" {
		return Endpoint{}, fmt.Errorf("endpoint %q: want LISTENER://host:port", s)
	}
	host, portStr, err := net.SplitHostPort(hostPort)
	if err != nil {
		return Endpoint{}, fmt.Errorf("endpoint %q: %w", s, err)
	}
	port, err := strconv.ParseInt(portStr, 10, 32)
	if err != nil || port < 0 || port > 65535 {
		return Endpoint{}, fmt.Errorf("endpoint %q: bad port", s)
	}
	proto, ok := protocols[listener]
	if !ok && isSecurityProtocol(listener) {
		proto, ok = listener, true
	}
	if !ok {
		return Endpoint{}, fmt.Errorf("endpoint %q: no security protocol for listener %s", s, listener)
	}
	return Endpoint{Listener: listener, SecurityProtocol: proto, Host: host, Port: int32(port)}, nil
}

func isSecurityProtocol(s string) bool {
	switch s {
	case "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL":
		return true
	}
	return false
}

func sortedPartitions(m map[int32][]int32) []int32 {
	keys := make([]int32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
