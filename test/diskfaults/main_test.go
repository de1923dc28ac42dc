// Package faults runs kq brokers as real processes on a real ZooKeeper
// and hurts their disks: a log dir that fills up mid-append (a small tmpfs
// really running out of space) and a disk whose fsyncs stall (the kqfaults
// test build's injector, vfs.ControlFile). Each scenario runs an acks=all
// idempotent load with min.insync.replicas=2 and ends with its verdict:
// records acknowledged, lost, duplicated, out of order, the longest
// unavailability, and the replicas' logs compared byte for byte up to the
// high watermark.
package diskfaults

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// The brokers are built with the kqfaults tag, so a test can put faults
// under their log dirs through a control file (KQ_FAULTS_FILE).
func TestMain(m *testing.M) { os.Exit(harness.MainWithTags(m, "kqfaults")) }
