package main

import (
	"context"
	"fmt"
	"os"
)

// replicationLoads compare three kq brokers, RF 3 at acks=all, with one
// broker at acks=1: Kafka's published ratio (Kreps 2014) is about 0.5x.
var (
	singleLoads = []load{
		{"produce RF1 acks=1 100 B", false, 100, "1", 1, 1},
		{"produce RF1 acks=1 16 KiB", false, 16 << 10, "1", 1, 1},
	}
	replicatedLoads = []load{
		{"produce RF3 acks=all 100 B", false, 100, "all", 3, 1},
		{"produce RF3 acks=all 16 KiB", false, 16 << 10, "all", 3, 1},
	}
)

// compareReplication alternates one kq broker (acks=1) and three (RF 3,
// acks=all) for cfg.rounds rounds.
func compareReplication(ctx context.Context, cfg config) (results, error) {
	res := results{}
	for round := 1; round <= cfg.rounds; round++ {
		fmt.Fprintf(os.Stderr, "replication round %d/%d\n", round, cfg.rounds)
		if err := runLoads(ctx, cfg, kinds[0], singleLoads, res); err != nil {
			return nil, fmt.Errorf("replication round %d, one broker: %w", round, err)
		}
		if err := runLoads(ctx, cfg, kq3, replicatedLoads, res); err != nil {
			return nil, fmt.Errorf("replication round %d, three brokers: %w", round, err)
		}
	}
	return res, nil
}
