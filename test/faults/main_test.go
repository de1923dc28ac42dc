// Package faults runs a three-broker kq cluster on real ZooKeeper with
// every link behind a fault proxy — broker to broker one per pair
// (harness.PairLinks), broker to ZooKeeper, client to broker — and cuts,
// blackholes and flaps them under a workload that records its history:
// an idempotent acks=all producer and consumers polling throughout. Each
// scenario ends with test/checker's verdict on that history and the
// replicas' logs compared byte for byte below the high watermark.
//
// By default the fault schedules are short (make test); KQ_FAULTS_FULL=1
// runs the long ones (make faults).
package faults

import (
	"os"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }

// full reports whether the long fault schedules were asked for.
func full() bool { return os.Getenv("KQ_FAULTS_FULL") == "1" }

// schedule returns the short or the long form of a duration.
func schedule(short, long time.Duration) time.Duration {
	if full() {
		return long
	}
	return short
}

// rounds returns the short or the long number of repetitions.
func rounds(short, long int) int {
	if full() {
		return long
	}
	return short
}
