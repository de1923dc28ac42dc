package kafkazk

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
)

// securityProtocols are Kafka's security protocol ids.
var securityProtocols = map[string]int16{"PLAINTEXT": 0, "SSL": 1, "SASL_PLAINTEXT": 2, "SASL_SSL": 3}

// parseEndpoint parses "LISTENER://host:port" as written in a broker
// registration.
func parseEndpoint(s string, protocolMap map[string]string) (metadatacache.Endpoint, error) {
	name, addr, ok := strings.Cut(s, "://")
	if !ok {
		return metadatacache.Endpoint{}, fmt.Errorf("endpoint %q: missing listener name", s)
	}
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return metadatacache.Endpoint{}, fmt.Errorf("endpoint %q: %w", s, err)
	}
	port, err := strconv.ParseInt(portStr, 10, 32)
	if err != nil {
		return metadatacache.Endpoint{}, fmt.Errorf("endpoint %q: bad port", s)
	}
	proto := protocolMap[name]
	if proto == "" {
		proto = name
	}
	return metadatacache.Endpoint{Listener: name, Host: host, Port: int32(port), SecurityProtocol: securityProtocols[proto]}, nil
}
