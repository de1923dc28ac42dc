package consume

import (
	"testing"
	"time"
)

func TestParseOffset(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 0, 0, 0, time.UTC)
	tests := []struct {
		in      string
		want    StartOffset
		wantErr bool
	}{
		{"start", StartOffset{Kind: OffsetStart}, false},
		{"beginning", StartOffset{Kind: OffsetStart}, false},
		{"end", StartOffset{Kind: OffsetEnd}, false},
		{"42", StartOffset{Kind: OffsetExact, N: 42}, false},
		{"+3", StartOffset{Kind: OffsetFromStart, N: 3}, false},
		{"-10", StartOffset{Kind: OffsetFromEnd, N: 10}, false},
		{"@1700000000000", StartOffset{Kind: OffsetTime, Millis: 1700000000000}, false},
		{"@-1h", StartOffset{Kind: OffsetTime, Millis: now.Add(-time.Hour).UnixMilli()}, false},
		{"@2025-01-01", StartOffset{Kind: OffsetTime, Millis: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()}, false},
		{"@2025-01-01T10:00:00+02:00", StartOffset{Kind: OffsetTime, Millis: time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC).UnixMilli()}, false},
		{"soon", StartOffset{}, true},
		{"+x", StartOffset{}, true},
		{"@-1y", StartOffset{}, true},
		{"@yesterday", StartOffset{}, true},
	}
	for _, tt := range tests {
		got, err := ParseOffset(tt.in, now)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("%q: got %+v %v", tt.in, got, err)
		}
	}
}

func TestResolveClamps(t *testing.T) {
	b := bounds{start: 10, end: 20}
	tests := []struct {
		o    StartOffset
		time int64
		want int64
	}{
		{StartOffset{Kind: OffsetStart}, 0, 10},
		{StartOffset{Kind: OffsetEnd}, 0, 20},
		{StartOffset{Kind: OffsetExact, N: 15}, 0, 15},
		{StartOffset{Kind: OffsetExact, N: 5}, 0, 10},
		{StartOffset{Kind: OffsetExact, N: 99}, 0, 20},
		{StartOffset{Kind: OffsetFromStart, N: 3}, 0, 13},
		{StartOffset{Kind: OffsetFromEnd, N: 3}, 0, 17},
		{StartOffset{Kind: OffsetFromEnd, N: 30}, 0, 10},
		{StartOffset{Kind: OffsetTime}, 12, 12},
	}
	for _, tt := range tests {
		if got := tt.o.resolve(b, tt.time); got != tt.want {
			t.Errorf("%+v: got %d, want %d", tt.o, got, tt.want)
		}
	}
}
