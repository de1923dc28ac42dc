// Package cluster runs several kq broker processes against one metadata
// store (a real ZooKeeper, and the embedded store of `kq server --brokers`)
// and checks they act as one cluster.
package cluster

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
