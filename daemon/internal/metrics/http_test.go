package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestHandler(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewCollector(&fakeSource{}))
	tests := []struct {
		name     string
		path     string
		missing  []string
		wantCode int
		wantBody string
	}{
		{"healthz", "/healthz", []string{"anything"}, 200, "ok"},
		{"ready", "/readyz", nil, 200, "ready"},
		{"not ready", "/readyz", []string{"not registered", "offline partitions: t-0"}, 503, "not ready:\nnot registered\noffline partitions: t-0"},
		{"metrics", "/metrics", nil, 200, "kafka_server_replicamanager_underreplicatedpartitions 0"},
		{"unknown path", "/nope", nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Handler(reg, func() []string { return tt.missing })
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tt.wantCode || !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("GET %s = %d %q; want %d containing %q", tt.path, rec.Code, body, tt.wantCode, tt.wantBody)
			}
		})
	}
}
