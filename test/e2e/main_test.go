// Package e2e runs the kq binary as a user would: a real server, and the
// kq commands piping data through it.
package e2e

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
