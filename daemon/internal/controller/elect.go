package controller

import (
	"context"
	"errors"
)

// ElectionType is ElectLeaders' election type.
type ElectionType int8

const (
	PreferredElection ElectionType = 0
	UncleanElection   ElectionType = 1
)

// ElectionResult is one partition's outcome: its leader after the
// election, or why there was none (a kerr error such as
// ELECTION_NOT_NEEDED or PREFERRED_LEADER_NOT_AVAILABLE).
type ElectionResult struct {
	Leader int32
	Err    error
}

// ElectLeaders runs a preferred or unclean election for the partitions
// given, or for every partition when partitions is nil.
func (c *Controller) ElectLeaders(ctx context.Context, typ ElectionType, partitions []TopicPartition) (map[TopicPartition]ElectionResult, error) {
	return nil, errors.New("elect leaders: not implemented yet")
}

// resumePreferredElection acts on a pending /admin/preferred_replica_election.
func (l *loop) resumePreferredElection(ctx context.Context) error { return nil }

// startLeaderRebalance starts auto.leader.rebalance.enable's periodic check.
func (l *loop) startLeaderRebalance(ctx context.Context) {}
