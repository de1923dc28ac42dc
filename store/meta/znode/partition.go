package znode

// PartitionState is /brokers/topics/<t>/partitions/<p>/state: the
// partition's leader and ISR, written by the controller and (for ISR
// changes) the leader, always compare-and-set on the node's version.
type PartitionState struct {
	Leader          int32 // -1 when the partition has no leader
	LeaderEpoch     int32
	ISR             []int32
	ControllerEpoch int32 // epoch of the controller that last wrote it
	// LeaderRecoveryState is 1 while a leader chosen by unclean election
	// recovers, else 0 (and then left out of the JSON, as Kafka does).
	LeaderRecoveryState int8
}

type partitionStateJSON struct {
	Version         *int    `json:"version"`
	Leader          *int32  `json:"leader"`
	LeaderEpoch     *int32  `json:"leader_epoch"`
	ISR             []int32 `json:"isr"`
	ControllerEpoch *int32  `json:"controller_epoch"`
	Recovery        int8    `json:"leader_recovery_state,omitempty"`
}

// Encode writes the partition state znode's JSON, version 1.
func (s PartitionState) Encode() []byte {
	return marshal(partitionStateJSON{
		Version: ptr(1), Leader: &s.Leader, LeaderEpoch: &s.LeaderEpoch,
		ISR: nonNil(s.ISR), ControllerEpoch: &s.ControllerEpoch, Recovery: s.LeaderRecoveryState,
	})
}

// DecodePartitionState reads a partition state node.
func DecodePartitionState(path string, data []byte) (PartitionState, error) {
	var j partitionStateJSON
	if err := unmarshal(path, data, &j); err != nil {
		return PartitionState{}, err
	}
	if _, err := requireVersion(path, j.Version, 1, 1); err != nil {
		return PartitionState{}, err
	}
	if j.Leader == nil || j.LeaderEpoch == nil || j.ISR == nil || j.ControllerEpoch == nil {
		return PartitionState{}, malformed(path, "want leader, leader_epoch, isr and controller_epoch")
	}
	if j.Recovery != 0 && j.Recovery != 1 {
		return PartitionState{}, malformed(path, "leader_recovery_state %d", j.Recovery)
	}
	return PartitionState{Leader: *j.Leader, LeaderEpoch: *j.LeaderEpoch, ISR: j.ISR,
		ControllerEpoch: *j.ControllerEpoch, LeaderRecoveryState: j.Recovery}, nil
}
