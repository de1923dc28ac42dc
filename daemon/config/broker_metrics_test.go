package config

import (
	"strings"
	"testing"
)

func TestMetricsListener(t *testing.T) {
	tests := []struct {
		value, want, err string
	}{
		{value: "", want: ""},
		{value: "127.0.0.1:9404", want: "127.0.0.1:9404"},
		{value: "http://:9404", want: ":9404"},
		{value: "localhost:0", want: "localhost:0"},
		{value: "9404", err: "Invalid value 9404 for configuration kq.metrics.listener"},
		{value: "host:port", err: "Expected host:port"},
		{value: "host:70000", err: "Expected host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			b, _, err := Parse(map[string]string{"kq.metrics.listener": tt.value})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.MetricsListener != tt.want {
				t.Errorf("MetricsListener %q, want %q", b.MetricsListener, tt.want)
			}
		})
	}
}
