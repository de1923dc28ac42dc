package metrics

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// TestLocalClusterServesOnePortPerBroker runs `kq server --brokers 3` with
// kq.metrics.listener: each broker serves its own metrics on consecutive
// ports, so each is its own scrape target, and together they lead every
// partition once.
func TestLocalClusterServesOnePortPerBroker(t *testing.T) {
	base := harness.FreePortRange(t, 3)
	_, addrs := harness.StartLocalCluster(t, 3, map[string]string{"kq.metrics.listener": fmt.Sprintf("127.0.0.1:%d", base)})
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const parts = 6
	if r, err := kadm.NewClient(cl).CreateTopic(ctx, parts, 1, nil, "spread"); err != nil || r.Err != nil {
		t.Fatalf("create: %v %v", err, r.Err)
	}
	harness.Eventually(t, 30*time.Second, "every partition led once over the three endpoints", func() error {
		total, controllers := 0.0, 0.0
		for i := range 3 {
			s, err := scrape(fmt.Sprintf("127.0.0.1:%d", base+i))
			if err != nil {
				return err
			}
			for p := range parts {
				if _, ok := s[fmt.Sprintf(`kafka_log_log_logendoffset{partition="%d",topic="spread"}`, p)]; ok {
					total++
				}
			}
			controllers += s["kafka_controller_kafkacontroller_activecontrollercount"]
		}
		if total != parts || controllers != 1 {
			return fmt.Errorf("partition logs %v over brokers (want %d), controllers %v (want 1)", total, parts, controllers)
		}
		return nil
	})
}
