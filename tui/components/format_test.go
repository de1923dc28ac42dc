package components

import (
	"testing"
	"time"
)

func TestCount(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{-1, None}, {0, "0"}, {999, "999"}, {1000, "1,000"}, {12345, "12,345"},
		{1204332, "1,204,332"}, {100000000, "100,000,000"},
	}
	for _, tt := range tests {
		if got := Count(tt.n); got != tt.want {
			t.Errorf("Count(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestRate(t *testing.T) {
	tests := []struct {
		r     float64
		known bool
		want  string
	}{
		{0, false, None}, {0, true, "0"}, {0.25, true, "0.2"}, {9.95, true, "9.9"},
		{10, true, "10"}, {18204.4, true, "18,204"},
	}
	for _, tt := range tests {
		if got := Rate(tt.r, tt.known); got != tt.want {
			t.Errorf("Rate(%v, %v) = %q, want %q", tt.r, tt.known, got, tt.want)
		}
	}
}

func TestAge(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {1500 * time.Millisecond, "1s"}, {65 * time.Second, "1m05s"}, {3*time.Hour + 4*time.Minute, "3h04m"},
	}
	for _, tt := range tests {
		if got := Age(tt.d); got != tt.want {
			t.Errorf("Age(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestIDs(t *testing.T) {
	if got := IDs([]int32{3, 1, 2}); got != "3,1,2" {
		t.Errorf("IDs = %q", got)
	}
	if got := IDs(nil); got != "" {
		t.Errorf("IDs(nil) = %q", got)
	}
}

func TestBytes(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{-1, None}, {0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KiB"}, {10 * 1024 * 1024, "10 MiB"},
		{812 * 1024 * 1024, "812 MiB"}, {4402341478, "4.1 GiB"}, {3 << 50, "3.0 PiB"}, {1 << 62, "4.0 EiB"},
	}
	for _, tt := range tests {
		if got := Bytes(tt.n); got != tt.want {
			t.Errorf("Bytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestSparkline(t *testing.T) {
	tests := []struct {
		values []int64
		want   string
	}{
		{nil, ""}, {[]int64{7}, "▁"}, {[]int64{12, 12, 12}, "▁▁▁"},
		{[]int64{0, 7}, "▁█"}, {[]int64{100, 200, 300, 400, 500}, "▁▃▅▆█"}, {[]int64{5, 1, 5}, "█▁█"},
	}
	for _, tt := range tests {
		if got := Sparkline(tt.values); got != tt.want {
			t.Errorf("Sparkline(%v) = %q, want %q", tt.values, got, tt.want)
		}
	}
}
