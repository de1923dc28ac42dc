package server

import (
	"io"
	"log/slog"
	"testing"
)

// TestMetricsListenerPerBroker checks that --metrics-listener sets
// kq.metrics.listener and that --brokers N gives each broker its own port,
// as it does for listeners, so every broker is its own scrape target.
func TestMetricsListenerPerBroker(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"off by default", Options{Brokers: 3}, []string{"", "", ""}},
		{"flag, one broker", Options{Brokers: 1, Metrics: "127.0.0.1:9404", changed: map[string]bool{"metrics-listener": true}}, []string{"127.0.0.1:9404"}},
		{"consecutive ports", Options{Brokers: 3, Metrics: "127.0.0.1:9404", changed: map[string]bool{"metrics-listener": true}},
			[]string{"127.0.0.1:9404", "127.0.0.1:9405", "127.0.0.1:9406"}},
		{"any port stays any", Options{Brokers: 2, Overrides: []string{"kq.metrics.listener=http://localhost:0"}}, []string{"localhost:0", "localhost:0"}},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props, err := gatherProps(&tt.opts, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			base, err := parseConfig(log, props)
			if err != nil {
				t.Fatal(err)
			}
			cfgs, err := brokerConfigs(log, base, props, tt.opts.Brokers)
			if err != nil {
				t.Fatal(err)
			}
			for i, cfg := range cfgs {
				if cfg.MetricsListener != tt.want[i] {
					t.Errorf("broker %d: kq.metrics.listener %q, want %q", i+1, cfg.MetricsListener, tt.want[i])
				}
			}
		})
	}
}
