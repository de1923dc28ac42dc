package znode

import (
	"encoding/json"
	"net/url"
	"strings"
)

type configJSON struct {
	Version *int              `json:"version"`
	Config  map[string]string `json:"config"`
}

// EncodeConfig writes /config/<type>/<name>: an entity's dynamic config
// overrides, every value a string as Kafka stores them.
func EncodeConfig(config map[string]string) []byte {
	if config == nil {
		config = map[string]string{}
	}
	return marshal(configJSON{Version: ptr(1), Config: config})
}

// DecodeConfig reads an entity config node. Like Kafka it accepts a node
// without data or without "config" as empty, but every value must be a
// string.
func DecodeConfig(path string, data []byte) (map[string]string, error) {
	if len(data) == 0 {
		return map[string]string{}, nil
	}
	var j struct {
		Version *int            `json:"version"`
		Config  json.RawMessage `json:"config"`
	}
	if err := unmarshal(path, data, &j); err != nil {
		return nil, err
	}
	if _, err := requireVersion(path, j.Version, 1, 1); err != nil {
		return nil, err
	}
	config := map[string]string{}
	if len(j.Config) == 0 || string(j.Config) == "null" {
		return config, nil
	}
	if err := unmarshal(path, j.Config, &config); err != nil {
		return nil, err
	}
	return config, nil
}

// SanitizeEntityName makes a user or client id safe as one path segment,
// as Kafka's Sanitizer: URL-encoded UTF-8, with "*" encoded and spaces as
// %20 (user principals like "CN=a b,O=c" become one segment).
func SanitizeEntityName(name string) string {
	s := url.QueryEscape(name)
	s = strings.ReplaceAll(s, "+", "%20")
	s = strings.ReplaceAll(s, "*", "%2A")
	return strings.ReplaceAll(s, "%7E", "~")
}

// DesanitizeEntityName reverses SanitizeEntityName.
func DesanitizeEntityName(sanitized string) (string, error) {
	return url.PathUnescape(sanitized)
}
