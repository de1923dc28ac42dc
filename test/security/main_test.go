// Package security runs kq brokers with TLS listeners against real clients
// (kcat, franz-go) and hostile ones: mutual TLS produce and consume,
// untrusted certificates refused with nothing written, plaintext and garbage
// on a TLS port, certificate reload, SSL-only clusters on real ZooKeeper,
// and no password in any log.
package security

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
