package znode

import (
	"strconv"
)

// ControllerVersion is the version Encode writes (Kafka 3.x).
const ControllerVersion = 2

// Controller is /controller, the ephemeral node whose creator is the
// controller.
type Controller struct {
	BrokerID  int32
	Timestamp int64 // ms since the epoch
}

type controllerJSON struct {
	Version   *int     `json:"version"`
	BrokerID  *int32   `json:"brokerid"`
	Timestamp msString `json:"timestamp"`
	// KRaftEpoch is the KRaft controller epoch during a migration; -1 for
	// a ZooKeeper-mode controller.
	KRaftEpoch *int32 `json:"kraftControllerEpoch,omitempty"`
}

// Encode writes /controller's JSON at ControllerVersion.
func (c Controller) Encode() []byte {
	return marshal(controllerJSON{Version: ptr(ControllerVersion), BrokerID: &c.BrokerID,
		Timestamp: msString(c.Timestamp), KRaftEpoch: ptr(int32(-1))})
}

// DecodeController reads /controller, versions 1 and 2.
func DecodeController(path string, data []byte) (Controller, error) {
	var j controllerJSON
	if err := unmarshal(path, data, &j); err != nil {
		return Controller{}, err
	}
	if _, err := requireVersion(path, j.Version, 1, ControllerVersion); err != nil {
		return Controller{}, err
	}
	if j.BrokerID == nil {
		return Controller{}, malformed(path, "no brokerid")
	}
	if j.KRaftEpoch != nil && *j.KRaftEpoch != -1 {
		return Controller{}, malformed(path, "controller is a KRaft controller (epoch %d), which kq does not speak", *j.KRaftEpoch)
	}
	return Controller{BrokerID: *j.BrokerID, Timestamp: int64(j.Timestamp)}, nil
}

// EncodeControllerEpoch writes /controller_epoch: the bare decimal epoch.
func EncodeControllerEpoch(epoch int32) []byte {
	return []byte(strconv.Itoa(int(epoch)))
}

// DecodeControllerEpoch reads /controller_epoch.
func DecodeControllerEpoch(path string, data []byte) (int32, error) {
	return decodeDecimal32(path, data)
}

func decodeDecimal32(path string, data []byte) (int32, error) {
	n, err := strconv.ParseInt(string(data), 10, 32)
	if err != nil {
		return 0, malformed(path, "want a decimal integer, got %q", data)
	}
	return int32(n), nil
}

// ClusterID is /cluster/id, created once by the first broker.
type ClusterID struct {
	ID string // 22-character base64url UUID
}

type clusterIDJSON struct {
	Version *string `json:"version"` // a string in Kafka's JSON: "1"
	ID      *string `json:"id"`
}

// Encode writes /cluster/id's JSON, version 1.
func (c ClusterID) Encode() []byte {
	return marshal(clusterIDJSON{Version: ptr("1"), ID: &c.ID})
}

// DecodeClusterID reads /cluster/id.
func DecodeClusterID(path string, data []byte) (ClusterID, error) {
	var j clusterIDJSON
	if err := unmarshal(path, data, &j); err != nil {
		return ClusterID{}, err
	}
	if j.ID == nil || *j.ID == "" {
		return ClusterID{}, malformed(path, "no id")
	}
	return ClusterID{ID: *j.ID}, nil
}
