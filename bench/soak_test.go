package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseHeapAlloc(t *testing.T) {
	for _, tc := range []struct {
		name, profile string
		want          int64
		wantErr       bool
	}{
		{"memstats after samples", "heap profile: 1: 2 [3: 4] @ heap/1048576\n# runtime.MemStats\n# Alloc = 10\n# TotalAlloc = 20\n# HeapAlloc = 123456\n# HeapSys = 9\n", 123456, false},
		{"no memstats", "heap profile: 1: 2 [3: 4] @ heap/1048576\n", 0, true},
		{"not a number", "# HeapAlloc = lots\n", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseHeapAlloc(strings.NewReader(tc.profile))
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Fatalf("got %d, %v; want %d, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestParseRSS(t *testing.T) {
	for _, tc := range []struct {
		name, status string
		want         int64
		wantErr      bool
	}{
		{"kB", "Name:\tkq\nVmPeak:\t  999 kB\nVmRSS:\t   2048 kB\nThreads:\t9\n", 2048 << 10, false},
		{"missing", "Name:\tkq\n", 0, true},
		{"unit", "VmRSS:\t 5 MB\n", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseRSS(tc.status)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Fatalf("got %d, %v; want %d, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestRenderSoakRatio(t *testing.T) {
	r := soakResult{cfg: soakConfig{duration: 10 * time.Minute, rate: 100, size: 10}, partitions: 6, samples: []heapSample{
		{at: time.Minute, heapAlloc: 100 << 20, rss: 200 << 20},
		{at: 10 * time.Minute, heapAlloc: 105 << 20, rss: 210 << 20},
	}}
	out := renderSoak(r)
	if !strings.Contains(out, "**1.05x**") || !strings.Contains(out, "| 10m0s | 105.00 | 0.00 | 210.0 | 0 |") {
		t.Fatalf("report:\n%s", out)
	}
}
