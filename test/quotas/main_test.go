// Package quotas runs a real kq broker with client quotas set through
// `kq configs` and measures what franz-go clients get: a limited producer
// holds its byte rate and sees throttle_time_ms, an unlimited client on
// the same broker is not held back, and limits change while clients run.
package quotas

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
