package znode

import (
	"strings"
)

// EncodeIsrChange writes an /isr_change_notification/isr_change_<n> node:
// the partitions whose ISR a leader changed.
func EncodeIsrChange(parts []TopicPartition) []byte { return encodePartitionList(parts) }

// DecodeIsrChange reads an ISR change notification.
func DecodeIsrChange(path string, data []byte) ([]TopicPartition, error) {
	return decodePartitionList(path, data)
}

// LogDirFailureEvent is the only log dir event Kafka defines.
const LogDirFailureEvent = 1

type logDirEventJSON struct {
	Version *int   `json:"version"`
	Broker  *int32 `json:"broker"`
	Event   *int   `json:"event"`
}

// EncodeLogDirEvent writes a /log_dir_event_notification/log_dir_event_<n>
// node: broker lost a log directory.
func EncodeLogDirEvent(broker int32) []byte {
	return marshal(logDirEventJSON{Version: ptr(1), Broker: &broker, Event: ptr(LogDirFailureEvent)})
}

// DecodeLogDirEvent reads a log dir event and returns the broker.
func DecodeLogDirEvent(path string, data []byte) (int32, error) {
	var j logDirEventJSON
	if err := unmarshal(path, data, &j); err != nil {
		return 0, err
	}
	if _, err := requireVersion(path, j.Version, 1, 1); err != nil {
		return 0, err
	}
	if j.Broker == nil {
		return 0, malformed(path, "no broker")
	}
	return *j.Broker, nil
}

// ConfigChange is a /config/changes/config_change_<n> node: every broker
// reloads the named entity's config from /config/<EntityType>/<EntityName>.
type ConfigChange struct {
	EntityType string // ConfigTypeTopic, ConfigTypeBroker, ...
	// EntityName is the (sanitized) name; for nested quota entities it
	// has more segments, e.g. "alice/clients/app".
	EntityName string
}

// EntityPath is the change's entity_path: "<type>/<name>".
func (c ConfigChange) EntityPath() string { return c.EntityType + "/" + c.EntityName }

type configChangeJSON struct {
	Version    *int   `json:"version"`
	EntityPath string `json:"entity_path,omitempty"`
	EntityType string `json:"entity_type,omitempty"`
	EntityName string `json:"entity_name,omitempty"`
}

// Encode writes version 2.
func (c ConfigChange) Encode() []byte {
	return marshal(configChangeJSON{Version: ptr(2), EntityPath: c.EntityPath()})
}

// DecodeConfigChange reads version 2 (entity_path) and the older version
// 1 (entity_type and entity_name).
func DecodeConfigChange(path string, data []byte) (ConfigChange, error) {
	var j configChangeJSON
	if err := unmarshal(path, data, &j); err != nil {
		return ConfigChange{}, err
	}
	v, err := requireVersion(path, j.Version, 1, 2)
	if err != nil {
		return ConfigChange{}, err
	}
	if v == 1 {
		if j.EntityType == "" || j.EntityName == "" {
			return ConfigChange{}, malformed(path, "version 1 needs entity_type and entity_name")
		}
		return ConfigChange{EntityType: j.EntityType, EntityName: j.EntityName}, nil
	}
	typ, name, ok := strings.Cut(j.EntityPath, "/")
	if !ok || typ == "" || name == "" {
		return ConfigChange{}, malformed(path, "entity_path %q is not <type>/<name>", j.EntityPath)
	}
	return ConfigChange{EntityType: typ, EntityName: name}, nil
}
