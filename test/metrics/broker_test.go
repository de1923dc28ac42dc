package metrics

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// TestBrokerMetricsMoveUnderLoad produces, commits and consumes on one
// broker and checks each metric a Kafka dashboard reads for it.
func TestBrokerMetricsMoveUnderLoad(t *testing.T) {
	maddr := metricsAddr(t)
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"kq.metrics.listener": maddr}})
	waitReady(t, maddr)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	adm := b.Admin()
	defer adm.Close()
	if _, err := adm.CreateTopic(ctx, 1, 1, nil, "m"); err != nil {
		t.Fatal(err)
	}
	const n = 500
	produce(ctx, t, b.Addr, "m", n)

	s := mustScrape(t, maddr)
	for _, c := range []struct {
		name string
		want float64
	}{
		{`kafka_server_brokertopicmetrics_messagesin_total{topic="m"}`, n},
		{`kafka_log_log_logendoffset{partition="0",topic="m"}`, n},
		{`kafka_log_log_logstartoffset{partition="0",topic="m"}`, 0},
		{`kafka_server_replicamanager_underreplicatedpartitions`, 0},
		{`kafka_controller_kafkacontroller_activecontrollercount`, 1},
		{`kafka_controller_kafkacontroller_offlinepartitionscount`, 0},
	} {
		if got := s.get(t, c.name); got != c.want {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	positive(t, s, `kafka_server_brokertopicmetrics_bytesin_total{topic="m"}`)
	positive(t, s, `kafka_log_log_size{partition="0",topic="m"}`)
	positive(t, s, `kafka_network_requestmetrics_requests_total{request="Produce"}`)
	positive(t, s, `kafka_network_requestmetrics_totaltimems{quantile="0.99",request="Produce"}`)
	s.get(t, `kafka_network_socketserver_networkprocessoravgidle_percent`)
	s.get(t, `kafka_network_requestchannel_requestqueuesize`)
	if all := s.get(t, `kafka_server_brokertopicmetrics_messagesin_total{topic=""}`); all < n {
		t.Errorf("all-topics messages in %v, want at least %d", all, n)
	}

	// A group that committed 200 of the 500 records lags by 300.
	offs := kadm.Offsets{}
	offs.Add(kadm.Offset{Topic: "m", Partition: 0, At: 200, LeaderEpoch: -1})
	if _, err := adm.CommitOffsets(ctx, "lagging", offs); err != nil {
		t.Fatal(err)
	}
	waitValue(t, maddr, `kafka_consumergroup_lag{consumergroup="lagging",partition="0",topic="m"}`, equals(n-200), "= 300")
	s = mustScrape(t, maddr)
	if got := s.get(t, `kafka_consumergroup_current_offset{consumergroup="lagging",partition="0",topic="m"}`); got != 200 {
		t.Errorf("committed offset %v, want 200", got)
	}

	// Consuming counts bytes out; producing more moves messages in by as many.
	consume(ctx, t, b.Addr, "m", n)
	s = mustScrape(t, maddr)
	positive(t, s, `kafka_server_brokertopicmetrics_bytesout_total{topic="m"}`)
	positive(t, s, `kafka_network_requestmetrics_requests_total{request="FetchConsumer"}`)
	if _, ok := s[`kafka_network_requestmetrics_requests_total{request="FetchFollower"}`]; ok {
		t.Error("a broker without followers reports FetchFollower requests")
	}
	produce(ctx, t, b.Addr, "m", 7)
	if got := mustScrape(t, maddr).get(t, `kafka_server_brokertopicmetrics_messagesin_total{topic="m"}`); got != n+7 {
		t.Errorf("messages in after 7 more: %v, want %d", got, n+7)
	}
	if code, body, err := health(maddr, "/healthz"); err != nil || code != http.StatusOK || !strings.Contains(body, "ok") {
		t.Errorf("/healthz = %d %q %v", code, body, err)
	}
}

func positive(t *testing.T, s samples, name string) {
	t.Helper()
	if v := s.get(t, name); v <= 0 {
		t.Errorf("%s = %v, want > 0", name, v)
	}
}

// waitReady polls /readyz until it answers 200.
func waitReady(t *testing.T, addr string) {
	t.Helper()
	harness.Eventually(t, 30*time.Second, "/readyz 200 at "+addr, func() error {
		return readyErr(addr, http.StatusOK, "ready")
	})
}

// produce writes n records to partition 0 of topic with acks=all.
func produce(ctx context.Context, t *testing.T, addr, topic string, n int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	recs := make([]*kgo.Record, n)
	for i := range recs {
		recs[i] = &kgo.Record{Topic: topic, Partition: 0, Value: []byte("value")}
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// consume reads n records of topic from the start, without a group.
func consume(ctx context.Context, t *testing.T, addr, topic string, n int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for got := 0; got < n; {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			t.Fatalf("consumed %d of %d: %v", got, n, err)
		}
		got += fs.NumRecords()
	}
}
