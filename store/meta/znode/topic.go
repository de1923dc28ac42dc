package znode

import (
	"encoding/base64"
	"fmt"
)

// TopicAssignmentVersion is the version Encode writes (Kafka 3.x).
const TopicAssignmentVersion = 3

// TopicID is Kafka's topic UUID. Its text form, in JSON and tools, is
// unpadded base64url (22 characters), as Kafka's Uuid.toString.
type TopicID [16]byte

// String is the 22-character base64url form Kafka writes.
func (id TopicID) String() string { return base64.RawURLEncoding.EncodeToString(id[:]) }

// IsZero reports whether id is unset (Kafka's ZERO_UUID).
func (id TopicID) IsZero() bool { return id == TopicID{} }

// ParseTopicID parses the 22-character text form.
func ParseTopicID(s string) (TopicID, error) {
	var id TopicID
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return TopicID{}, fmt.Errorf("topic id %q: want 22 characters of base64url", s)
	}
	copy(id[:], b)
	return id, nil
}

// TopicAssignment is /brokers/topics/<topic>: which brokers hold each
// partition, first the preferred leader, plus a reassignment in progress.
type TopicAssignment struct {
	Version    int     // as read; Encode writes TopicAssignmentVersion
	TopicID    TopicID // zero when the topic predates topic ids
	Partitions map[int32][]int32
	// Adding and Removing list, per partition under reassignment, the
	// replicas being added and removed (both also in Partitions).
	Adding   map[int32][]int32
	Removing map[int32][]int32
}

type topicJSON struct {
	Version    *int       `json:"version"`
	TopicID    string     `json:"topic_id,omitempty"`
	Partitions replicaMap `json:"partitions"`
	Adding     replicaMap `json:"adding_replicas"`
	Removing   replicaMap `json:"removing_replicas"`
}

// Encode writes the /brokers/topics/<topic> JSON at TopicAssignmentVersion.
func (a TopicAssignment) Encode() []byte {
	j := topicJSON{
		Version:    ptr(TopicAssignmentVersion),
		Partitions: orEmpty(a.Partitions), Adding: orEmpty(a.Adding), Removing: orEmpty(a.Removing),
	}
	if !a.TopicID.IsZero() {
		j.TopicID = a.TopicID.String()
	}
	return marshal(j)
}

func orEmpty(m map[int32][]int32) replicaMap {
	if m == nil {
		return replicaMap{}
	}
	return m
}

// DecodeTopicAssignment reads /brokers/topics/<topic>, versions 1 to 3.
func DecodeTopicAssignment(path string, data []byte) (TopicAssignment, error) {
	var j topicJSON
	if err := unmarshal(path, data, &j); err != nil {
		return TopicAssignment{}, err
	}
	v, err := requireVersion(path, j.Version, 1, TopicAssignmentVersion)
	if err != nil {
		return TopicAssignment{}, err
	}
	if j.Partitions == nil {
		return TopicAssignment{}, malformed(path, "no partitions")
	}
	a := TopicAssignment{Version: v, Partitions: j.Partitions, Adding: j.Adding, Removing: j.Removing}
	if j.TopicID != "" {
		if a.TopicID, err = ParseTopicID(j.TopicID); err != nil {
			return TopicAssignment{}, malformed(path, "%v", err)
		}
	}
	return a, nil
}
