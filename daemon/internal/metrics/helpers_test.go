package metrics

import (
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// gather registers c alone and returns every sample as
// `name{k="v",...}` -> value, labels sorted by name.
func gather(t *testing.T, c prometheus.Collector) map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(c); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			out[seriesName(mf.GetName(), m)] = value(m)
		}
	}
	return out
}

func seriesName(name string, m *dto.Metric) string {
	var ls []string
	for _, l := range m.GetLabel() {
		ls = append(ls, l.GetName()+"="+`"`+l.GetValue()+`"`)
	}
	sort.Strings(ls)
	if len(ls) == 0 {
		return name
	}
	return name + "{" + strings.Join(ls, ",") + "}"
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	}
	return 0
}

// fakeSource is a Source with fixed answers.
type fakeSource struct {
	parts            []Partition
	offsets          []GroupOffset
	active           bool
	offline          int
	shrinks, expands int64
	queued           int
	state            int32
}

func (f *fakeSource) Partitions() []Partition     { return append([]Partition(nil), f.parts...) }
func (f *fakeSource) GroupOffsets() []GroupOffset { return f.offsets }
func (f *fakeSource) ActiveController() bool      { return f.active }
func (f *fakeSource) OfflinePartitions() int      { return f.offline }
func (f *fakeSource) IsrChanges() (int64, int64)  { return f.shrinks, f.expands }
func (f *fakeSource) QueuedRequests() int         { return f.queued }
func (f *fakeSource) BrokerState() int32          { return f.state }
