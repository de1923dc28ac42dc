// Package badinput feeds a real kq server what no well-behaved client sends
// (garbage bytes, truncated frames, absurd size prefixes, unknown APIs and
// versions, corrupt record batches, produces to missing topics) and checks
// each gets Kafka's answer, while the broker keeps serving other connections
// and the records already written stay intact.
package badinput

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
