package embedded

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta"
)

// concurrently runs fn(i) for i in [0, n) at once and returns the errors.
func concurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func sessions(t *testing.T, srv *Server, n int) []meta.Store {
	out := make([]meta.Store, n)
	for i := range out {
		out[i] = connect(t, srv)
	}
	return out
}

// Calls batched together still see each other in order: of many creates
// of one path exactly one wins.
func TestBatchedCreatesOneWinner(t *testing.T) {
	srv := newServer(t, t.TempDir(), Options{})
	ss := sessions(t, srv, 16)
	for round := range 20 {
		path := fmt.Sprintf("/race%d", round)
		errs := concurrently(len(ss), func(i int) error {
			_, err := ss[i].Create(context.Background(), path, nil, meta.Ephemeral)
			return err
		})
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, meta.ErrNodeExists):
				t.Fatal(err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d sessions created %s", round, won, path)
		}
	}
}

// A failing Multi batched with other calls leaves nothing they can see.
func TestBatchedFailureLeavesNoTrace(t *testing.T) {
	srv := newServer(t, "", Options{})
	ss := sessions(t, srv, 2)
	ctx := context.Background()
	for round := range 200 {
		path := fmt.Sprintf("/n%d", round)
		errs := concurrently(2, func(i int) error {
			if i == 0 {
				_, err := ss[0].Multi(ctx, meta.CreateOp{Path: path}, meta.SetOp{Path: "/missing", Version: -1})
				return err
			}
			_, err := ss[1].Create(ctx, path, []byte("b"), meta.Persistent)
			return err
		})
		failed := errors.Is(errs[0], meta.ErrNoNode) || errors.Is(errs[0], meta.ErrNodeExists) // first or second
		if !failed || errs[1] != nil {
			t.Fatalf("round %d: failing multi %v, plain create %v", round, errs[0], errs[1])
		}
	}
}

// Concurrent writers share fsyncs.
func TestGroupCommitSharesFsyncs(t *testing.T) {
	srv := newServer(t, t.TempDir(), Options{})
	ss := sessions(t, srv, 16)
	const each = 20
	errs := concurrently(len(ss), func(i int) error {
		for j := range each {
			if _, err := ss[i].Create(context.Background(), fmt.Sprintf("/s%d-%d", i, j), nil, meta.Persistent); err != nil {
				return err
			}
		}
		return nil
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	srv.wmu.Lock()
	syncs := srv.journal.syncs
	srv.wmu.Unlock()
	writes := int64(len(ss) * each)
	if syncs >= writes {
		t.Fatalf("%d fsyncs for %d concurrent writes: no group commit", syncs, writes)
	}
	t.Logf("%d fsyncs for %d writes", syncs, writes)
}

// Calls waiting for the committer when the server closes are refused,
// not left hanging.
func TestCloseWithWritersWaiting(t *testing.T) {
	srv := newServer(t, t.TempDir(), Options{})
	ss := sessions(t, srv, 8)
	done := make(chan []error)
	go func() {
		done <- concurrently(len(ss), func(i int) error {
			for j := 0; ; j++ {
				_, err := ss[i].Create(context.Background(), fmt.Sprintf("/c%d-%d", i, j), nil, meta.Persistent)
				if err != nil {
					return err
				}
			}
		})
	}()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case errs := <-done:
		for _, err := range errs {
			if !errors.Is(err, meta.ErrClosed) {
				t.Fatalf("writer ended with %v, want ErrClosed", err)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("writers still blocked after Close")
	}
}
