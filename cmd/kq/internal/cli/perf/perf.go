// Package perf is `kq perf produce|consume|e2e`: throughput and latency
// figures in the manner of Kafka's kafka-producer-perf-test and
// kafka-consumer-perf-test, and kafka-e2e-latency.
package perf

import (
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// NewCmdPerf returns `kq perf` with produce, consume and e2e.
func NewCmdPerf(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "perf",
		Short: "Measure produce and consume throughput and end-to-end latency",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(NewCmdProduce(f, nil), NewCmdConsume(f, nil), NewCmdE2E(f, nil))
	return cmd
}
