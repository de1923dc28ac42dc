// Package metrics runs kq brokers as real processes with
// kq.metrics.listener set, scrapes /metrics with the Prometheus text
// parser, and checks that the Kafka-named metrics move as the cluster
// does: produced records, consumer lag, a dead broker's under-replicated
// partitions; and that /readyz answers ready only once the broker is
// registered with no offline partitions.
package metrics

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
