// Package groups proves consumer groups work against real kq brokers with
// clients nobody here wrote: franz-go group consumers (eager and
// cooperative), kcat's balanced consumer, and kq's own CLI.
package groups

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
