package messages

import (
	"strings"
	"testing"
	"time"
)

var now = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func TestParseStart(t *testing.T) {
	tests := []struct {
		in      string
		want    Start
		wantErr string
	}{
		{"", Start{Kind: Newest, N: DefaultNewest}, ""},
		{"oldest", Start{Kind: Oldest}, ""},
		{"  Earliest ", Start{Kind: Oldest}, ""},
		{"newest", Start{Kind: Newest, N: DefaultNewest}, ""},
		{"newest 20", Start{Kind: Newest, N: 20}, ""},
		{"last 0", Start{Kind: Newest, N: 0}, ""},
		{"-50", Start{Kind: Newest, N: 50}, ""},
		{"live", Start{Kind: Live}, ""},
		{"offset 42", Start{Kind: FromOffset, N: 42}, ""},
		{"42", Start{Kind: FromOffset, N: 42}, ""},
		{"since -15m", Start{Kind: Since, Time: now.Add(-15 * time.Minute)}, ""},
		{"since 2h", Start{Kind: Since, Time: now.Add(-2 * time.Hour)}, ""},
		{"-15m", Start{Kind: Since, Time: now.Add(-15 * time.Minute)}, ""},
		{"since 2024-05-01T12:00:00Z", Start{Kind: Since, Time: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}, ""},
		{"2024-05-01T12:00:00.5+02:00", Start{Kind: Since, Time: time.Date(2024, 5, 1, 10, 0, 0, 5e8, time.UTC)}, ""},
		{"since 2024-05-01", Start{Kind: Since, Time: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}, ""},
		{"since 1700000000000", Start{Kind: Since, Time: time.UnixMilli(1700000000000)}, ""},
		{"oldest 3", Start{}, "takes no argument"},
		{"newest many", Start{}, "count"},
		{"newest 1 2", Start{}, "one count"},
		{"offset -1", Start{}, "want an offset"},
		{"offset", Start{}, "one offset"},
		{"since", Start{}, "one time"},
		{"since yesterday", Start{}, "invalid time"},
		{"sometime", Start{}, "unknown start"},
		{"from here to there", Start{}, "one time"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseStart(tt.in, now)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != tt.want.Kind || got.N != tt.want.N || !got.Time.Equal(tt.want.Time) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestStartStringRoundTrips(t *testing.T) {
	for _, s := range []Start{{Kind: Oldest}, {Kind: Live}, {Kind: Newest, N: 7}, {Kind: FromOffset, N: 9},
		{Kind: Since, Time: time.Date(2024, 5, 1, 12, 0, 0, 123e6, time.UTC)}} {
		got, err := ParseStart(s.String(), now)
		if err != nil || got.Kind != s.Kind || got.N != s.N || !got.Time.Equal(s.Time) {
			t.Errorf("%q read back as %+v, %v", s.String(), got, err)
		}
	}
}

func TestStartFirst(t *testing.T) {
	b := bounds{start: 100, end: 250}
	tests := []struct {
		start Start
		at    int64
		want  int64
	}{
		{Start{Kind: Oldest}, 0, 100},
		{Start{Kind: Live}, 0, 250},
		{Start{Kind: Newest, N: 20}, 0, 230},
		{Start{Kind: Newest, N: 1000}, 0, 100}, // no further back than the log start
		{Start{Kind: FromOffset, N: 120}, 0, 120},
		{Start{Kind: FromOffset, N: 5}, 0, 100},   // deleted by retention: the log start
		{Start{Kind: FromOffset, N: 900}, 0, 250}, // not written yet: the end
		{Start{Kind: Since}, 180, 180},
	}
	for _, tt := range tests {
		if got := tt.start.first(b, tt.at); got != tt.want {
			t.Errorf("%v: first %d, want %d", tt.start, got, tt.want)
		}
	}
}

// TestStartLabel: the header names the start once, the time in the view's
// zone without nanoseconds, and newest N per partition on a whole topic.
func TestStartLabel(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	at := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)
	tests := []struct {
		start Start
		all   bool
		loc   *time.Location
		want  string
	}{
		{Start{Kind: Oldest}, false, time.UTC, "from oldest"},
		{Start{Kind: Live}, true, time.UTC, "live: new records only"},
		{Start{Kind: FromOffset, N: 42}, false, time.UTC, "from offset 42"},
		{Start{Kind: Since, Time: at}, false, time.UTC, "since 2026-01-02 03:04:05.123 UTC"},
		{Start{Kind: Since, Time: at}, true, tokyo, "since 2026-01-02 12:04:05.123 JST"},
		{Start{Kind: Newest, N: 100}, false, time.UTC, "newest 100"},
		{Start{Kind: Newest, N: 100}, true, time.UTC, "newest 100 per partition"},
	}
	for _, tt := range tests {
		if got := tt.start.label(tt.all, tt.loc); got != tt.want {
			t.Errorf("%v (all partitions %v): %q, want %q", tt.start, tt.all, got, tt.want)
		}
	}
}
