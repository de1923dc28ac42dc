package main

import (
	"os"
	"testing"
)

func TestStatCPUSeconds(t *testing.T) {
	for _, tc := range []struct {
		name, stat string
		want       float64
		wantErr    bool
	}{
		{"plain", "42 (kq) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0", 3, false},
		{"name with spaces and parens", "7 (a) b (c) R 1 7 7 0 -1 0 0 0 0 0 1 2 0 0", 0.03, false},
		{"short", "7 (x) R 1 2", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := statCPUSeconds(tc.stat)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Fatalf("got %v, %v; want %v, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestProcessCPUSecondsOfSelf(t *testing.T) {
	if _, err := processCPUSeconds(os.Getpid()); err != nil {
		t.Fatal(err)
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 3}} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
