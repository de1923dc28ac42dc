package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// TestConsumeFilter reads a topic with kq consume --filter: JSONPath,
// header, key and partition terms select exactly the records they name,
// and a malformed filter is a usage error (exit 2) before any reading.
func TestConsumeFilter(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	mustKQ(t, b, "", "topics", "create", "orders", "-p", "3", "-r", "1")
	var in strings.Builder
	for i := range 300 {
		kind, headers := "odd", "[]"
		if i%2 == 0 {
			kind = "even"
		}
		if i%3 == 0 {
			headers = `[{"key":"source","value":"billing"}]`
		}
		fmt.Fprintf(&in, `{"partition":%d,"key":"k%d","value":"{\"n\":%d,\"kind\":\"%s\"}","headers":%s}`+"\n", i%3, i, i, kind, headers)
	}
	mustKQ(t, b, in.String(), "produce", "--topic", "orders", "--input", "json")

	tests := []struct {
		filter  string
		want    func(i int) bool
		scanned int
	}{
		{"$.n>=290", func(i int) bool { return i >= 290 }, 300},
		{"header.source=billing $.kind=even", func(i int) bool { return i%6 == 0 }, 300},
		{"key=k7 or key=k8", func(i int) bool { return i == 7 || i == 8 }, 300},
		{"partition=1 and not $.n<250", func(i int) bool { return i%3 == 1 && i >= 250 }, 100}, // partition 1 alone is read
		{`value~'"kind":"odd"' $.n<20`, func(i int) bool { return i%2 == 1 && i < 20 }, 300},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			res := kq(t, b, "", "consume", "--topic", "orders", "--from-beginning", "--exit-at-end",
				"--format", `%k\n`, "--filter", tt.filter)
			if res.Code != 0 {
				t.Fatalf("exit %d: %s", res.Code, res.Stderr)
			}
			var want []string
			for i := range 300 {
				if tt.want(i) {
					want = append(want, fmt.Sprintf("k%d", i))
				}
			}
			got := strings.Fields(res.Stdout)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
			if !strings.Contains(res.Stderr, fmt.Sprintf("Scanned %d messages; %d matched --filter", tt.scanned, len(want))) {
				t.Fatalf("stderr %q", res.Stderr)
			}
		})
	}

	bad := kq(t, b, "", "consume", "--topic", "orders", "--from-beginning", "--filter", "$.n>=")
	if bad.Code != 2 || !strings.Contains(bad.Stderr, "--filter: >= at column 4 needs a value") {
		t.Fatalf("bad filter: exit %d, stderr %q", bad.Code, bad.Stderr)
	}
}
