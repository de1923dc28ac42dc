package tui

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/tui/snapshot"
)

// benchModel is a model showing a large cluster: 2,000 topics of 6
// partitions each on 3 brokers.
func benchModel(b *testing.B) Model {
	b.Helper()
	c := admintest.NewCluster(1, 2, 3)
	for i := range 2000 {
		if _, err := c.CreateTopic(context.Background(), admin.TopicSpec{Name: fmt.Sprintf("topic-%05d", i), Partitions: 6, ReplicationFactor: 3}); err != nil {
			b.Fatal(err)
		}
	}
	s, err := snapshot.Collect(context.Background(), c, nil, t0)
	if err != nil {
		b.Fatal(err)
	}
	m, err := New(Options{Source: c, Renderer: plainRenderer(), Now: func() time.Time { return t0 }})
	if err != nil {
		b.Fatal(err)
	}
	next, _ := m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	next, _ = next.Update(snapshotMsg{snap: s, at: t0})
	return next.(Model)
}

// BenchmarkView is one frame of the Topics view of a large cluster: what
// every key press and every refresh costs.
func BenchmarkView(b *testing.B) {
	m := benchModel(b)
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkKeyDown is moving the cursor one row in that view.
func BenchmarkKeyDown(b *testing.B) {
	m := benchModel(b)
	down := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")}
	b.ResetTimer()
	for b.Loop() {
		next, _ := m.Update(down)
		m = next.(Model)
	}
}
