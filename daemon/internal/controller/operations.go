package controller

import "context"

// TopicPartition names one partition.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// initOperations resumes what the metadata store records as under way when
// a controller takes over: partition reassignments and a pending
// preferred-replica election.
func (l *loop) initOperations(ctx context.Context) error {
	if err := l.onReassignRequestsChanged(ctx, true); err != nil {
		return err
	}
	return l.onPreferredElectionChanged(ctx)
}

// startBackground starts the loop's timers, once per controller epoch;
// they end with ctx.
func (l *loop) startBackground(ctx context.Context) {
	l.startLeaderRebalance(ctx)
}
