package zktest

import (
	"errors"
	"os"
	"sync"
	"testing"
)

// shared is the package-wide server of Shared. It is built on first use
// (never at init) and stopped by Main.
var shared struct {
	once sync.Once
	srv  *Server
	dir  string
	err  error
}

// Shared returns the server shared by all tests of the test binary,
// starting it on first use. Give each test its own Chroot on it.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "kq-zktest-")
		if shared.err == nil {
			shared.srv, shared.err = start(shared.dir)
		}
	})
	if errors.Is(shared.err, errNotInstalled) {
		skipOrFail(t, shared.err)
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.srv
}

// Main runs the tests and then stops the shared server, if one started.
// Call it from TestMain:
//
//	func TestMain(m *testing.M) { zktest.Main(m) }
func Main(m *testing.M) {
	m.Run() // since Go 1.15 the test binary exits with m.Run's code when TestMain returns
	if shared.srv != nil {
		shared.srv.Stop()
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir) // a temp dir: leftovers are harmless
	}
}
