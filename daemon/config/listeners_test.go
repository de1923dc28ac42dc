package config

import (
	"errors"
	"reflect"
	"testing"
)

func TestListeners(t *testing.T) {
	tests := []struct {
		name           string
		props          map[string]string
		wantListeners  []Listener
		wantAdvertised []Listener
		wantInter      string
	}{
		{
			name:           "empty host binds all, advertises the hostname",
			props:          map[string]string{"listeners": "PLAINTEXT://:9092"},
			wantListeners:  []Listener{{Name: "PLAINTEXT", Port: 9092}},
			wantAdvertised: []Listener{{Name: "PLAINTEXT", Host: "broker.test", Port: 9092}},
			wantInter:      "PLAINTEXT",
		},
		{
			name:           "wildcard bind without advertised listeners advertises the hostname",
			props:          map[string]string{"listeners": "PLAINTEXT://0.0.0.0:9092,SSL://[::]:9093"},
			wantListeners:  []Listener{{Name: "PLAINTEXT", Host: "0.0.0.0", Port: 9092}, {Name: "SSL", Host: "::", Port: 9093, SecurityProtocol: SSL}},
			wantAdvertised: []Listener{{Name: "PLAINTEXT", Host: "broker.test", Port: 9092}, {Name: "SSL", Host: "broker.test", Port: 9093, SecurityProtocol: SSL}},
			wantInter:      "PLAINTEXT",
		},
		{
			name: "named listeners, lower case names normalised, subset advertised",
			props: map[string]string{
				"listeners":                      "internal://10.0.0.1:9092,external://:19092",
				"advertised.listeners":           "EXTERNAL://kafka.example.com:443,INTERNAL://10.0.0.1:9092",
				"listener.security.protocol.map": "INTERNAL:PLAINTEXT, external : sasl_ssl",
				"inter.broker.listener.name":     "internal",
			},
			wantListeners: []Listener{
				{Name: "INTERNAL", Host: "10.0.0.1", Port: 9092},
				{Name: "EXTERNAL", Port: 19092, SecurityProtocol: SASLSSL},
			},
			wantAdvertised: []Listener{
				{Name: "EXTERNAL", Host: "kafka.example.com", Port: 443, SecurityProtocol: SASLSSL},
				{Name: "INTERNAL", Host: "10.0.0.1", Port: 9092},
			},
			wantInter: "INTERNAL",
		},
		{
			name:           "IPv4 and IPv6 may share a port",
			props:          map[string]string{"listeners": "PLAINTEXT://127.0.0.1:9092,SSL://[::1]:9092"},
			wantListeners:  []Listener{{Name: "PLAINTEXT", Host: "127.0.0.1", Port: 9092}, {Name: "SSL", Host: "::1", Port: 9092, SecurityProtocol: SSL}},
			wantAdvertised: []Listener{{Name: "PLAINTEXT", Host: "127.0.0.1", Port: 9092}, {Name: "SSL", Host: "::1", Port: 9092, SecurityProtocol: SSL}},
			wantInter:      "PLAINTEXT",
		},
		{
			name:           "ephemeral ports never collide",
			props:          map[string]string{"listeners": "PLAINTEXT://localhost:0,SSL://localhost:0"},
			wantListeners:  []Listener{{Name: "PLAINTEXT", Host: "localhost"}, {Name: "SSL", Host: "localhost", SecurityProtocol: SSL}},
			wantAdvertised: []Listener{{Name: "PLAINTEXT", Host: "localhost"}, {Name: "SSL", Host: "localhost", SecurityProtocol: SSL}},
			wantInter:      "PLAINTEXT",
		},
		{
			name:           "security.inter.broker.protocol picks the listener",
			props:          map[string]string{"listeners": "PLAINTEXT://h:1,SSL://h:2", "security.inter.broker.protocol": "SSL"},
			wantListeners:  []Listener{{Name: "PLAINTEXT", Host: "h", Port: 1}, {Name: "SSL", Host: "h", Port: 2, SecurityProtocol: SSL}},
			wantAdvertised: []Listener{{Name: "PLAINTEXT", Host: "h", Port: 1}, {Name: "SSL", Host: "h", Port: 2, SecurityProtocol: SSL}},
			wantInter:      "SSL",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustParse(t, tt.props)
			if !reflect.DeepEqual(b.Listeners, tt.wantListeners) {
				t.Errorf("Listeners = %v, want %v", b.Listeners, tt.wantListeners)
			}
			if !reflect.DeepEqual(b.AdvertisedListeners, tt.wantAdvertised) {
				t.Errorf("AdvertisedListeners = %v, want %v", b.AdvertisedListeners, tt.wantAdvertised)
			}
			if b.InterBrokerListenerName != tt.wantInter {
				t.Errorf("InterBrokerListenerName = %s, want %s", b.InterBrokerListenerName, tt.wantInter)
			}
		})
	}
}

func TestListenerErrors(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		want  string
	}{
		{"no scheme", map[string]string{"listeners": "localhost:9092"}, "Unable to parse localhost:9092 to a broker endpoint"},
		{"no port", map[string]string{"listeners": "PLAINTEXT://localhost"}, "Unable to parse PLAINTEXT://localhost to a broker endpoint"},
		{"bad host", map[string]string{"listeners": "PLAINTEXT://local/host:9092"}, "Unable to parse PLAINTEXT://local/host:9092 to a broker endpoint"},
		{"port range", map[string]string{"listeners": "PLAINTEXT://h:70000"}, "Invalid port 70000 in listener PLAINTEXT://h:70000: must be between 0 and 65535"},
		{"empty", map[string]string{"listeners": " "}, "listeners must name at least one endpoint"},
		{"unmapped name", map[string]string{"listeners": "INTERNAL://:9092"}, "No security protocol defined for listener INTERNAL"},
		{"duplicate name", map[string]string{"listeners": "PLAINTEXT://:9092,plaintext://:9093"},
			"Each listener must have a different name, listeners: PLAINTEXT://:9092,plaintext://:9093"},
		{"duplicate port", map[string]string{"listeners": "PLAINTEXT://:9092,SSL://:9092"},
			"Each listener must have a different port unless exactly one listener has an IPv4 address and the other IPv6 address, listeners: PLAINTEXT://:9092,SSL://:9092, port: 9092"},
		{"advertised wildcard", map[string]string{"advertised.listeners": "PLAINTEXT://0.0.0.0:9092"},
			"advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address."},
		{"advertised unknown name", map[string]string{"advertised.listeners": "SSL://h:9093"},
			"advertised.listeners listener names must be equal to or a subset of the ones defined in listeners. Found SSL. The valid options based on currently configured listeners are PLAINTEXT"},
		{"bad protocol", map[string]string{"listener.security.protocol.map": "PLAINTEXT:TLS"},
			"Invalid security protocol `TLS` defined in listener.security.protocol.map"},
		{"bad map entry", map[string]string{"listener.security.protocol.map": "PLAINTEXT"},
			"Invalid value PLAINTEXT for configuration listener.security.protocol.map: Error parsing configuration property 'listener.security.protocol.map': entry 'PLAINTEXT' is not of the form NAME:PROTOCOL"},
		{"both inter-broker keys", map[string]string{"inter.broker.listener.name": "PLAINTEXT", "security.inter.broker.protocol": "PLAINTEXT"},
			"Only one of inter.broker.listener.name and security.inter.broker.protocol should be set."},
		{"inter-broker name not mapped", map[string]string{"inter.broker.listener.name": "REPLICATION"},
			"Listener with name REPLICATION defined in inter.broker.listener.name not found in listener.security.protocol.map."},
		{"inter-broker name not advertised", map[string]string{"inter.broker.listener.name": "SSL"},
			"inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are PLAINTEXT"},
		{"inter-broker protocol not advertised", map[string]string{"security.inter.broker.protocol": "SSL"},
			"inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are PLAINTEXT"},
		{"inter-broker protocol unknown", map[string]string{"security.inter.broker.protocol": "TLS"},
			"Invalid value TLS for configuration security.inter.broker.protocol: String must be one of: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseWithOptions(tt.props, testOptions)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestHostnameFailure(t *testing.T) {
	boom := errors.New("no hostname")
	_, _, err := ParseWithOptions(nil, Options{Hostname: func() (string, error) { return "", boom }})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want wrapping %v", err, boom)
	}
}

func TestListenerString(t *testing.T) {
	tests := []struct {
		l            Listener
		str, address string
		protocolName string
	}{
		{Listener{Name: "PLAINTEXT", Port: 9092}, "PLAINTEXT://:9092", ":9092", "PLAINTEXT"},
		{Listener{Name: "IN", Host: "::1", Port: 1, SecurityProtocol: SASLPlaintext}, "IN://[::1]:1", "[::1]:1", "SASL_PLAINTEXT"},
		{Listener{Name: "X", Host: "h", Port: 2, SecurityProtocol: 9}, "X://h:2", "h:2", "UNKNOWN(9)"},
	}
	for _, tt := range tests {
		if tt.l.String() != tt.str || tt.l.Address() != tt.address || tt.l.SecurityProtocol.String() != tt.protocolName {
			t.Errorf("%#v: String %q Address %q protocol %q", tt.l, tt.l.String(), tt.l.Address(), tt.l.SecurityProtocol)
		}
	}
}
