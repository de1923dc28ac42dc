package messages

import (
	"errors"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
)

func TestViews(t *testing.T) {
	jsonRecord := admin.Record{Key: []byte("order-17"),
		Value:   []byte(`{"id":17,"customer":{"name":"Ada","tier":"gold"},"items":[{"sku":"A-1","qty":2}],"note":"leave at\tdoor"}`),
		Headers: []admin.Header{{Key: "trace-id", Value: []byte("4bf92f35")}, {Key: "source", Value: []byte("web")}, {Key: "empty"}}}
	binary := admin.Record{Key: []byte{0x00, 0x01, 0xfe}, Value: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00binary\xff\xfe tail")}
	tests := []struct {
		name          string
		width, height int
		opts          fixtureOptions
		stage         func(f *fixture)
	}{
		{"loading", 80, 24, fixtureOptions{}, func(f *fixture) {}},
		{"empty", 80, 24, fixtureOptions{}, func(f *fixture) { f.start() }},
		{"records", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, orders(0, 30)...)
			f.start()
			f.held(30)
		}},
		{"records_wide", 140, 30, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, orders(0, 30)...)
			f.start()
			f.held(30)
		}},
		{"records_top", 80, 24, fixtureOptions{start: "oldest"}, func(f *fixture) {
			f.produce(0, 0, orders(0, 30)...)
			f.start()
			f.held(30)
			f.keys("j", "j")
		}},
		{"all_partitions", 100, 20, fixtureOptions{partition: AllPartitions}, func(f *fixture) {
			f.produce(0, 0, orders(0, 4)...)
			f.produce(1, 500*time.Millisecond, orders(10, 4)...)
			f.produce(2, 2*time.Second, orders(20, 2)...)
			f.start()
			f.held(10)
		}},
		{"filtered", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, orders(0, 30)...)
			f.start()
			f.held(30)
			f.keys("/")
			f.typeText("order-1")
			f.keys("enter")
		}},
		{"filtered_typing", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, orders(0, 30)...)
			f.start()
			f.held(30)
			f.keys("/")
			f.typeText("/order-2[05]")
		}},
		{"filtered_color", 80, 12, fixtureOptions{renderer: colorRenderer()}, func(f *fixture) {
			f.produce(0, 0, orders(0, 12)...)
			f.start()
			f.held(12)
			f.keys("/")
			f.typeText("order-1")
			f.keys("enter")
		}},
		{"filter_no_match", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, orders(0, 3)...)
			f.start()
			f.held(3)
			f.keys("/")
			f.typeText("zzz")
			f.keys("enter")
		}},
		{"detail", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, jsonRecord)
			f.start()
			f.held(1)
			f.keys("enter")
		}},
		{"detail_wide", 140, 30, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, jsonRecord)
			f.start()
			f.held(1)
			f.keys("enter")
		}},
		{"detail_scrolled", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, jsonRecord)
			f.start()
			f.held(1)
			f.keys("enter", "j", "j", "j", "j", "j")
		}},
		{"null_keys", 100, 12, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, admin.Record{Value: []byte("no key")}, admin.Record{Key: []byte{}, Value: []byte("empty key")},
				admin.Record{Value: nil})
			f.start()
			f.held(3)
		}},
		{"null_keys_small", 60, 15, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, admin.Record{Value: []byte("no key")}, admin.Record{Value: []byte("another")})
			f.start()
			f.held(2)
		}},
		{"binary", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, binary)
			f.start()
			f.held(1)
		}},
		{"detail_binary", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, binary)
			f.start()
			f.held(1)
			f.keys("enter")
		}},
		{"detail_binary_text", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, binary)
			f.start()
			f.held(1)
			f.keys("enter", "x")
		}},
		{"paused", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, orders(0, 5)...)
			f.start()
			f.held(5)
			f.keys("p")
		}},
		{"stalled", 80, 24, fixtureOptions{start: "oldest", limits: Limits{Records: 20}}, func(f *fixture) {
			f.produce(0, 0, orders(0, 30)...)
			f.start()
			f.until("the stall", func(m Model) bool { return m.stalled })
		}},
		{"failing", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.cluster.Fail("ListOffsets", errors.New("dial tcp 127.0.0.1:9092: connect: connection refused"))
			f.run(f.m.Init())
			f.until("the failure", func(m Model) bool { return m.state == stateFailed })
		}},
		{"no_partition", 80, 24, fixtureOptions{partition: 9}, func(f *fixture) {
			f.run(f.m.Init())
			f.until("the failure", func(m Model) bool { return m.state == stateFailed })
		}},
		{"start_prompt", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.start()
			f.keys("s")
		}},
		{"start_invalid", 80, 24, fixtureOptions{}, func(f *fixture) {
			f.start()
			f.keys("s")
			f.typeText(" soon")
			f.keys("enter")
		}},
		{"help", 80, 24, fixtureOptions{}, func(f *fixture) { f.start(); f.keys("?") }},
		{"small", 40, 8, fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, orders(0, 5)...)
			f.start()
			f.held(5)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.width, tt.opts.height = tt.width, tt.height
			f := newFixture(t, tt.opts)
			tt.stage(f)
			view := f.m.View()
			checkFrame(t, view, tt.width, tt.height)
			golden(t, tt.name, view)
		})
	}
}
