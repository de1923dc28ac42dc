package messages

import (
	"testing"
)

// TestFilterViews compares the filter's screens with golden files, at
// 80x24 and at 60x15.
func TestFilterViews(t *testing.T) {
	stages := []struct {
		name  string
		stage func(f *fixture)
	}{
		{"filter_prompt", func(f *fixture) {
			f.start()
			f.held(15)
			f.keys("f")
			f.typeText("$.user.id=7 header.source")
		}},
		{"filter_error", func(f *fixture) {
			f.start()
			f.keys("f")
			f.typeText("value~(")
			f.keys("enter")
		}},
		{"filter_progress", func(f *fixture) {
			gs := &gatedSource{fakeSource: f.src, n: 10, allow: make(chan struct{}, 100)}
			f.m.opts.Source = gs
			for range 3 { // the last waits for new records
				gs.allow <- struct{}{}
			}
			f.start()
			f.held(15)
			f.keys("f")
			f.typeText("header.trace")
			f.keys("enter")
			for range 3 {
				gs.allow <- struct{}{}
			}
			f.until("three batches", func(m Model) bool { return m.scan != nil && m.scan.scanned == 30 })
		}},
		{"filter_done", func(f *fixture) {
			f.start()
			f.held(15)
			f.keys("f")
			f.typeText("header.trace")
			f.keys("enter")
			f.until("the end", func(m Model) bool { return m.scan != nil && m.scan.done && m.buf.Len() == 22 })
		}},
		{"search_offer", func(f *fixture) {
			f.start()
			f.held(15)
			f.keys("/")
			f.typeText("k-7")
			f.keys("enter")
		}},
		{"export_prompt", func(f *fixture) {
			f.start()
			f.held(15)
			f.keys("w")
		}},
	}
	sizes := []struct {
		suffix        string
		width, height int
	}{{"", 80, 24}, {"_60x15", 60, 15}}
	for _, st := range stages {
		for _, size := range sizes {
			t.Run(st.name+size.suffix, func(t *testing.T) {
				f := newFixture(t, fixtureOptions{partition: AllPartitions, start: "newest 5", width: size.width, height: size.height})
				threePartitions(f)
				st.stage(f)
				view := f.m.View()
				checkFrame(t, view, size.width, size.height)
				golden(t, st.name+size.suffix, view)
			})
		}
	}
}
