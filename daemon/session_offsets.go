package daemon

import "context"

// The version-0 offsets of handler.LegacyOffsets, in the current session.

func (s *currentSession) SetConsumerOffset(ctx context.Context, group, topic string, partition int32, offset int64) error {
	return s.client().SetConsumerOffset(ctx, group, topic, partition, offset)
}

func (s *currentSession) ConsumerOffset(ctx context.Context, group, topic string, partition int32) (int64, bool, error) {
	return s.client().ConsumerOffset(ctx, group, topic, partition)
}
