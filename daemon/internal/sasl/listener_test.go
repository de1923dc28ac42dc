package sasl

import (
	"sync"
	"testing"
	"time"
)

// TestListenerUpdate: an update holds for the next exchange, and updates
// race with exchanges without harm (run with -race).
func TestListenerUpdate(t *testing.T) {
	l := &Listener{Mechanisms: []string{Plain}, PlainUsers: PlainUsers{"bob": "b"}}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 100 {
			if s, err := l.NewServer(Plain); err == nil {
				_, _, _ = s.Step([]byte("\x00bob\x00b"))
			}
			_ = l.Offered()
		}
	}()
	l.Update(&Listener{Mechanisms: []string{Plain, OAuthBearer}, PlainUsers: PlainUsers{"carol": "c"},
		MaxReauth: map[string]time.Duration{Plain: time.Minute}})
	wg.Wait()
	s, err := l.NewServer(Plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, done, err := s.Step([]byte("\x00carol\x00c")); !done || err != nil {
		t.Fatalf("carol after the update: %v", err)
	}
	if !l.Enabled(OAuthBearer) || l.SessionLimit(Plain) != time.Minute {
		t.Fatalf("settings not updated: %v %v", l.Offered(), l.SessionLimit(Plain))
	}
}
