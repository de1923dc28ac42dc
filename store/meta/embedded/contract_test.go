package embedded

import (
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/metatest"
)

type backend struct{ srv *Server }

func (b backend) Connect(t *testing.T) meta.Store {
	s, err := b.srv.Connect(6 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func (b backend) Expire(t *testing.T, s meta.Store) {
	if err := b.srv.ExpireSession(s.SessionID()); err != nil {
		t.Fatal(err)
	}
}

func TestContractMemory(t *testing.T) {
	metatest.Run(t, func(t *testing.T) metatest.Backend {
		return backend{srv: newServer(t, "", Options{})}
	})
}

// On disk, with a tiny compaction threshold so snapshots are taken while
// the suite runs.
func TestContractOnDisk(t *testing.T) {
	metatest.Run(t, func(t *testing.T) metatest.Backend {
		return backend{srv: newServer(t, t.TempDir(), Options{CompactBytes: 4 << 10})}
	})
}

func newServer(t testing.TB, dir string, opts Options) *Server {
	t.Helper()
	srv, err := New(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return srv
}
