package metrics

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/kqhq/kq/test/harness"
)

// samples are one scrape: `name{k="v",...}` (labels sorted) -> value.
type samples map[string]float64

// scrape fetches and parses http://addr/metrics.
func scrape(addr string) (samples, error) {
	resp, err := httpClient.Get("http://" + addr + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("parse /metrics: %w", err)
	}
	out := samples{}
	for name, mf := range mfs {
		for _, m := range mf.GetMetric() {
			out[series(name, m.GetLabel())] = sampleValue(m)
		}
	}
	return out, nil
}

func series(name string, labels []*dto.LabelPair) string {
	var ls []string
	for _, l := range labels {
		ls = append(ls, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
	}
	sort.Strings(ls)
	if len(ls) == 0 {
		return name
	}
	return name + "{" + strings.Join(ls, ",") + "}"
}

func sampleValue(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Untyped != nil:
		return m.GetUntyped().GetValue()
	}
	return 0
}

var httpClient = &http.Client{Timeout: 5 * time.Second}

// get returns one series of a scrape, failing the test when it is absent.
func (s samples) get(t *testing.T, name string) float64 {
	t.Helper()
	v, ok := s[name]
	if !ok {
		t.Fatalf("%s not exported", name)
	}
	return v
}

// mustScrape scrapes once, failing the test on error.
func mustScrape(t *testing.T, addr string) samples {
	t.Helper()
	s, err := scrape(addr)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// waitValue polls until the series has the value wanted.
func waitValue(t *testing.T, addr, name string, want func(float64) bool, what string) {
	t.Helper()
	harness.Eventually(t, 30*time.Second, name+" "+what, func() error {
		s, err := scrape(addr)
		if err != nil {
			return err
		}
		v, ok := s[name]
		if !ok {
			return fmt.Errorf("%s not exported", name)
		}
		if !want(v) {
			return fmt.Errorf("%s = %v", name, v)
		}
		return nil
	})
}

func equals(want float64) func(float64) bool { return func(v float64) bool { return v == want } }

// health GETs /healthz or /readyz and returns the status and body.
func health(addr, path string) (int, string, error) {
	resp, err := httpClient.Get("http://" + addr + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// metricsPort reserves a loopback port for kq.metrics.listener.
func metricsAddr(t *testing.T) string {
	return fmt.Sprintf("127.0.0.1:%d", harness.FreePort(t))
}
