package main

import (
	"strings"
	"testing"
)

func TestRenderE2E(t *testing.T) {
	one, three := e2eLoads[0].name, e2eLoads[1].name
	for _, tc := range []struct {
		name    string
		samples []e2eSample
		want    []string
	}{
		{"not run", nil, nil},
		{"medians per load", []e2eSample{
			{load: one, maxRecords: 100, loadRecords: 50, loadMB: 5, loadP99: 9, p50: 0.2, p99: 3, p999: 7},
			{load: three, maxRecords: 40, loadRecords: 20, loadMB: 2, loadP99: 30, p50: 0.6, p99: 12, p999: 40},
			{load: one, maxRecords: 300, loadRecords: 150, loadMB: 15, loadP99: 1, p50: 0.1, p99: 1, p999: 2},
			{load: three, maxRecords: 60, loadRecords: 30, loadMB: 3, loadP99: 10, p50: 0.4, p99: 4, p999: 9},
			{load: one, maxRecords: 200, loadRecords: 100, loadMB: 10, loadP99: 5, p50: 0.3, p99: 2, p999: 5},
		}, []string{
			"| " + one + " | 200 | 100 | 10.0 | 5.0 | 0.20 | 2.00 | 5.00 |",
			"| " + three + " | 60 | 30 | 3.0 | 30.0 | 0.60 | 12.00 | 40.00 |", // two rounds: the upper one
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := renderE2E(tc.samples)
			if tc.want == nil && got != "" {
				t.Fatalf("got %q, want nothing", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w+"\n") {
					t.Errorf("missing row %q in\n%s", w, got)
				}
			}
		})
	}
}
