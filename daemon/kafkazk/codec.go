package kafkazk

import (
	"encoding/json"
	"fmt"
	"github.com/kqhq/kq/daemon/internal/controller"
	"strconv"
)

// The JSON of each znode, field for field Kafka's (see
// shared/reference/znodes.md).

type brokerJSON struct {
	Version                     int               `json:"version"`
	Host                        string            `json:"host"`
	Port                        int32             `json:"port"`
	JMXPort                     int               `json:"jmx_port"`
	Timestamp                   string            `json:"timestamp"`
	Endpoints                   []string          `json:"endpoints"`
	ListenerSecurityProtocolMap map[string]string `json:"listener_security_protocol_map"`
	Rack                        *string           `json:"rack"`
	Features                    map[string]any    `json:"features"`
}

type topicJSON struct {
	Version          int                `json:"version"`
	TopicID          string             `json:"topic_id,omitempty"`
	Partitions       map[string][]int32 `json:"partitions"`
	AddingReplicas   map[string][]int32 `json:"adding_replicas"`
	RemovingReplicas map[string][]int32 `json:"removing_replicas"`
}

type stateJSON struct {
	Version         int     `json:"version"`
	Leader          int32   `json:"leader"`
	LeaderEpoch     int32   `json:"leader_epoch"`
	ISR             []int32 `json:"isr"`
	ControllerEpoch int32   `json:"controller_epoch"`
}

type controllerJSON struct {
	Version   int    `json:"version"`
	BrokerID  int32  `json:"brokerid"`
	Timestamp string `json:"timestamp"`
}

type clusterIDJSON struct {
	Version string `json:"version"`
	ID      string `json:"id"`
}

type configJSON struct {
	Version int               `json:"version"`
	Config  map[string]string `json:"config"`
}

type configChangeJSON struct {
	Version    int    `json:"version"`
	EntityPath string `json:"entity_path"`
}

type producerBlockJSON struct {
	Version    int    `json:"version"`
	Broker     int32  `json:"broker"`
	BlockStart string `json:"block_start"`
	BlockEnd   string `json:"block_end"`
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("kafkazk: encode %T: %v", v, err)) // only fixed structs are encoded
	}
	return b
}

// decode parses a znode's JSON, naming the path when it is malformed.
func decode(path string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: JSON in %s: %v", controller.ErrMalformed, path, err)
	}
	return nil
}

func partitionMap(replicas map[int32][]int32) map[string][]int32 {
	out := make(map[string][]int32, len(replicas))
	for p, r := range replicas {
		out[strconv.Itoa(int(p))] = r
	}
	return out
}

func parsePartitionMap(path string, m map[string][]int32) (map[int32][]int32, error) {
	out := make(map[int32][]int32, len(m))
	for k, r := range m {
		p, err := strconv.ParseInt(k, 10, 32)
		if err != nil || p < 0 {
			return nil, fmt.Errorf("%w: partition id %q in %s", controller.ErrMalformed, k, path)
		}
		out[int32(p)] = r
	}
	return out, nil
}
