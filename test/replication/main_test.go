// Package replication runs kq brokers as real processes on a real
// ZooKeeper and checks replication end to end: followers copy their
// leaders, the ISR shrinks and grows, acks=all records survive leader
// crashes and freezes, and all replicas of a partition hold the same log up
// to the high watermark.
package replication

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
