package cluster

import (
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// The same checks as on ZooKeeper, on `kq server --brokers 3` with the
// embedded metadata store.
func TestLocalClusterAgreesOnMetadata(t *testing.T) {
	_, addrs := harness.StartLocalCluster(t, 3, nil)
	checkClusterAgrees(t, addrs)
	checkCLIShowsCluster(t, addrs[1])
}
