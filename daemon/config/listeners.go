package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// SecurityProtocol is Kafka's SecurityProtocol, numbered by its wire id (as
// in UpdateMetadata requests).
type SecurityProtocol int16

const (
	Plaintext     SecurityProtocol = 0
	SSL           SecurityProtocol = 1
	SASLPlaintext SecurityProtocol = 2
	SASLSSL       SecurityProtocol = 3
)

var securityProtocolNames = [...]string{"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"}

func (p SecurityProtocol) String() string {
	if p >= 0 && int(p) < len(securityProtocolNames) {
		return securityProtocolNames[p]
	}
	return "UNKNOWN(" + strconv.Itoa(int(p)) + ")"
}

// ParseSecurityProtocol reads a protocol name case-insensitively, as Kafka's
// SecurityProtocol.forName does.
func ParseSecurityProtocol(name string) (SecurityProtocol, error) {
	upper := strings.ToUpper(name)
	for i, n := range securityProtocolNames {
		if n == upper {
			return SecurityProtocol(i), nil
		}
	}
	return 0, fmt.Errorf("no enum constant for security protocol %q", name)
}

// Listener is one endpoint of the broker: listeners to bind, or
// advertised.listeners to publish.
type Listener struct {
	// Name is upper-cased, as Kafka normalises listener names.
	Name string
	// Host is "" to bind every interface. Advertised listeners never have an
	// empty host: it is replaced by the machine's hostname.
	Host string
	// Port 0 binds an ephemeral port.
	Port             int32
	SecurityProtocol SecurityProtocol
}

// String renders the listener as a config value element: NAME://host:port.
func (l Listener) String() string {
	host := l.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return l.Name + "://" + host + ":" + strconv.Itoa(int(l.Port))
}

// Address is host:port for net.Listen or net.Dial.
func (l Listener) Address() string {
	return net.JoinHostPort(l.Host, strconv.Itoa(int(l.Port)))
}

// parseCsvList splits a comma list and drops empty entries, as Kafka's
// CoreUtils.parseCsvList does for listeners and log.dirs.
func parseCsvList(s string) []string {
	var out []string
	for _, part := range splitList(javaTrim(s)) {
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

// parseListeners reads a listeners-style value. Names map to protocols
// through protocols; requireDistinctPorts applies to bound listeners only.
func parseListeners(key, value string, protocols map[string]SecurityProtocol, requireDistinctPorts bool) ([]Listener, error) {
	var out []Listener
	for _, s := range parseCsvList(value) {
		l, err := parseEndpoint(key, s, protocols)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if err := checkDistinctNames(key, value, out); err != nil {
		return nil, err
	}
	if requireDistinctPorts {
		return out, checkDistinctPorts(key, value, out)
	}
	return out, nil
}

// parseEndpoint reads NAME://host:port; IPv6 hosts may be bracketed.
func parseEndpoint(key, s string, protocols map[string]SecurityProtocol) (Listener, error) {
	bad := configError(key, "Unable to parse "+s+" to a broker endpoint")
	sep := strings.LastIndex(s, "://")
	if sep <= 0 {
		return Listener{}, bad
	}
	name, hostPort := strings.ToUpper(s[:sep]), s[sep+3:]
	colon := strings.LastIndex(hostPort, ":")
	if colon < 0 {
		return Listener{}, bad
	}
	host := strings.TrimSuffix(strings.TrimPrefix(hostPort[:colon], "["), "]")
	port, err := strconv.ParseInt(hostPort[colon+1:], 10, 32)
	if err != nil || !validHost(host) {
		return Listener{}, bad
	}
	if port < 0 || port > 65535 {
		return Listener{}, configError(key, fmt.Sprintf("Invalid port %d in listener %s: must be between 0 and 65535", port, s))
	}
	proto, ok := protocols[name]
	if !ok {
		return Listener{}, configError(key, "No security protocol defined for listener "+name)
	}
	return Listener{Name: name, Host: host, Port: int32(port), SecurityProtocol: proto}, nil
}

// validHost accepts the characters Kafka's endpoint pattern accepts.
func validHost(h string) bool {
	for _, r := range h {
		ok := r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune("-%._:", r)
		if !ok {
			return false
		}
	}
	return true
}

func checkDistinctNames(key, value string, ls []Listener) error {
	seen := make(map[string]bool, len(ls))
	for _, l := range ls {
		if seen[l.Name] {
			return configError(key, "Each listener must have a different name, "+key+": "+value)
		}
		seen[l.Name] = true
	}
	return nil
}

// checkDistinctPorts refuses two bound listeners on one port, unless they are
// exactly one IPv4 and one IPv6 address (Kafka 3.9, KIP-797). Port 0 is
// ephemeral and never collides.
func checkDistinctPorts(key, value string, ls []Listener) error {
	byPort := map[int32][]Listener{}
	for _, l := range ls {
		if l.Port != 0 {
			byPort[l.Port] = append(byPort[l.Port], l)
		}
	}
	for port, group := range byPort {
		if len(group) == 1 || (len(group) == 2 && oneIPv4OneIPv6(group[0].Host, group[1].Host)) {
			continue
		}
		return configError(key, fmt.Sprintf("Each listener must have a different port unless exactly one listener has "+
			"an IPv4 address and the other IPv6 address, %s: %s, port: %d", key, value, port))
	}
	return nil
}

func oneIPv4OneIPv6(a, b string) bool {
	ipA, ipB := net.ParseIP(a), net.ParseIP(b)
	if ipA == nil || ipB == nil {
		return false
	}
	return (ipA.To4() != nil) != (ipB.To4() != nil)
}

// parseProtocolMap reads listener.security.protocol.map: NAME:PROTOCOL pairs.
func parseProtocolMap(key, value string) (map[string]SecurityProtocol, error) {
	out := map[string]SecurityProtocol{}
	s := javaTrim(value)
	if s == "" {
		return out, nil
	}
	for _, entry := range splitList(s) {
		colon := strings.LastIndex(entry, ":")
		if colon < 0 {
			return nil, invalidValue(key, value, "Error parsing configuration property '"+key+
				"': entry '"+entry+"' is not of the form NAME:PROTOCOL")
		}
		name, protoName := javaTrim(entry[:colon]), javaTrim(entry[colon+1:])
		proto, err := ParseSecurityProtocol(protoName)
		if err != nil {
			return nil, configError(key, "Invalid security protocol `"+protoName+"` defined in "+key)
		}
		out[strings.ToUpper(name)] = proto
	}
	return out, nil
}
