package controller

import "context"

// ElectionType is ElectLeaders' election type.
type ElectionType int8

const (
	// PreferredElection moves leadership back to the first assigned
	// replica when it is live and in the ISR.
	PreferredElection ElectionType = 0
	// UncleanElection elects a leader, outside the ISR if need be, for a
	// partition without a live one.
	UncleanElection ElectionType = 1
)

// String is the election type as Kafka's tools print it.
func (t ElectionType) String() string {
	if t == UncleanElection {
		return "UNCLEAN"
	}
	return "PREFERRED"
}

// ElectionResult is one partition's outcome: its leader after the
// election, or why there was none (a kerr error such as
// ELECTION_NOT_NEEDED or PREFERRED_LEADER_NOT_AVAILABLE).
type ElectionResult struct {
	Leader int32
	Err    error
}

// ElectionStore is what elections and controlled shutdown read and write
// in the metadata store besides partition states.
type ElectionStore interface {
	// BrokerEpoch returns the czxid of /brokers/ids/<id>, which changes
	// with every registration; an unregistered broker wraps meta.ErrNoNode.
	BrokerEpoch(ctx context.Context, id int32) (int64, error)
	// PreferredReplicaElection reads /admin/preferred_replica_election
	// (ok false when absent) and watches it for creation, change and
	// deletion. Undecodable content is an error wrapping ErrMalformed,
	// with ok true and the channel set.
	PreferredReplicaElection(ctx context.Context) (parts []TopicPartition, ok bool, change <-chan struct{}, err error)
	// DeletePreferredReplicaElection removes the processed request.
	DeletePreferredReplicaElection(ctx context.Context) error
}

// ElectLeaders runs a preferred or unclean election for the partitions
// given, or for every partition when partitions is nil.
func (c *Controller) ElectLeaders(ctx context.Context, typ ElectionType, partitions []TopicPartition) (map[TopicPartition]ElectionResult, error) {
	r, err := c.request(ctx, func(_ context.Context, _ *loop, op OpID) (Event, error) {
		return ElectLeadersRequested{Op: op, Type: typ, Partitions: partitions}, nil
	})
	if err != nil {
		return nil, err
	}
	return r.(map[TopicPartition]ElectionResult), nil
}
