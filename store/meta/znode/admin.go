package znode

// TopicPartition names one partition.
type TopicPartition struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
}

// PartitionReplicas is a partition's requested replica list.
type PartitionReplicas struct {
	Topic     string  `json:"topic"`
	Partition int32   `json:"partition"`
	Replicas  []int32 `json:"replicas"`
}

type reassignJSON struct {
	Version    *int                `json:"version"`
	Partitions []PartitionReplicas `json:"partitions"`
}

// EncodeReassignPartitions writes /admin/reassign_partitions, the legacy
// (pre-KIP-455) way to request a reassignment.
func EncodeReassignPartitions(parts []PartitionReplicas) []byte {
	j := reassignJSON{Version: ptr(1), Partitions: parts}
	if j.Partitions == nil {
		j.Partitions = []PartitionReplicas{}
	}
	for i := range j.Partitions {
		j.Partitions[i].Replicas = nonNil(j.Partitions[i].Replicas)
	}
	return marshal(j)
}

// DecodeReassignPartitions reads /admin/reassign_partitions.
func DecodeReassignPartitions(path string, data []byte) ([]PartitionReplicas, error) {
	var j reassignJSON
	if err := unmarshal(path, data, &j); err != nil {
		return nil, err
	}
	if _, err := requireVersion(path, j.Version, 1, 1); err != nil {
		return nil, err
	}
	if j.Partitions == nil {
		return nil, malformed(path, "no partitions")
	}
	for _, p := range j.Partitions {
		if p.Topic == "" || p.Partition < 0 || p.Replicas == nil {
			return nil, malformed(path, "entry %+v needs topic, partition and replicas", p)
		}
	}
	return j.Partitions, nil
}

type partitionListJSON struct {
	Version    *int             `json:"version"`
	Partitions []TopicPartition `json:"partitions"`
}

func encodePartitionList(parts []TopicPartition) []byte {
	if parts == nil {
		parts = []TopicPartition{}
	}
	return marshal(partitionListJSON{Version: ptr(1), Partitions: parts})
}

func decodePartitionList(path string, data []byte) ([]TopicPartition, error) {
	var j partitionListJSON
	if err := unmarshal(path, data, &j); err != nil {
		return nil, err
	}
	if _, err := requireVersion(path, j.Version, 1, 1); err != nil {
		return nil, err
	}
	if j.Partitions == nil {
		return nil, malformed(path, "no partitions")
	}
	for _, p := range j.Partitions {
		if p.Topic == "" || p.Partition < 0 {
			return nil, malformed(path, "entry %+v needs topic and partition", p)
		}
	}
	return j.Partitions, nil
}

// EncodePreferredReplicaElection writes /admin/preferred_replica_election.
func EncodePreferredReplicaElection(parts []TopicPartition) []byte {
	return encodePartitionList(parts)
}

// DecodePreferredReplicaElection reads /admin/preferred_replica_election.
func DecodePreferredReplicaElection(path string, data []byte) ([]TopicPartition, error) {
	return decodePartitionList(path, data)
}
