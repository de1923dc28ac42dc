// Package authz runs a broker with Kafka's ACL authorizer and deny by
// default on PLAINTEXT, where every client is User:ANONYMOUS, and grants
// and takes away rights with kq acls (through ZooKeeper and through the
// broker), kadm and kcat.
package authz

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
