package quotas

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

const (
	quota = 1 << 20 // the limited producer's producer_byte_rate
	// quotaWindow is quota.window.num (11) x quota.window.size.seconds (1).
	// Kafka's rate lets a new client send a window's worth at once and then
	// holds it back, so the rate is measured over whole windows from the
	// client's first request: two of them.
	quotaWindow = 11 * time.Second
	measure     = 2 * quotaWindow
)

// throttles counts the throttle times a client's responses carried.
type throttles struct{ n, maxMs atomic.Int64 }

func (h *throttles) OnBrokerThrottle(_ kgo.BrokerMetadata, d time.Duration, _ bool) {
	if d <= 0 {
		return
	}
	h.n.Add(1)
	for {
		cur := h.maxMs.Load()
		if d.Milliseconds() <= cur || h.maxMs.CompareAndSwap(cur, d.Milliseconds()) {
			return
		}
	}
}

func kq(t *testing.T, b *harness.Broker, args ...string) harness.Result {
	t.Helper()
	return harness.KQ(t, nil, append([]string{"--bootstrap-server", b.Addr}, args...)...)
}

func setQuota(t *testing.T, b *harness.Broker, client, kv string) {
	t.Helper()
	r := kq(t, b, "configs", "--alter", "--entity-type", "clients", "--entity-name", client, "--add-config", kv)
	if r.Code != 0 || !strings.Contains(r.Stdout, "Completed updating config for client "+client) {
		t.Fatalf("set quota of %s: %+v", client, r)
	}
}

// producer is a client producing to "q" with the Java producer's default
// batch.size (16 KiB): how much a client overshoots its quota before the
// first throttle grows with its request size, in Kafka as here.
func producer(b *harness.Broker, clientID string) (*kgo.Client, *throttles) {
	h := &throttles{}
	cl := b.Client(kgo.ClientID(clientID), kgo.DefaultProduceTopic("q"), kgo.WithHooks(h),
		kgo.ProducerBatchCompression(kgo.NoCompression()), kgo.ProducerBatchMaxBytes(16<<10),
		kgo.MaxBufferedRecords(64), kgo.ProducerLinger(0))
	return cl, h
}

// produceFor produces 4 KiB records for d and returns the value bytes
// acknowledged within d of the first send.
func produceFor(t *testing.T, cl *kgo.Client, d time.Duration) int64 {
	t.Helper()
	value := make([]byte, 4<<10)
	for i := range value {
		value[i] = byte(rand.Uint32())
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	deadline := start.Add(d)
	var acked atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	for ctx.Err() == nil {
		wg.Add(1)
		cl.Produce(ctx, &kgo.Record{Value: value}, func(r *kgo.Record, err error) {
			defer wg.Done()
			switch {
			case err == nil && time.Now().Before(deadline):
				acked.Add(int64(len(r.Value)))
			case err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled):
				failed.Store(err)
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		t.Fatalf("produce: %v", err)
	}
	return acked.Load()
}

// TestClientQuotas: a producer limited to 1 MiB/s stays within 10% of it
// over two quota windows and is told to back off; a producer without a
// quota running beside it is never throttled; a quota set while a client
// runs holds it back at once, for producers and consumers.
func TestClientQuotas(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	if r := kq(t, b, "topics", "--create", "--topic", "q", "--partitions", "1", "--replication-factor", "1"); r.Code != 0 {
		t.Fatalf("create topic: %+v", r)
	}
	setQuota(t, b, "limited", "producer_byte_rate=1048576")
	// Notifications apply in order: once the probe is throttled, the
	// broker holds the limited producer's quota too.
	setQuota(t, b, "probe", "producer_byte_rate=1000")
	waitThrottled(t, b, "probe", time.Minute)

	limited, limitedThrottles := producer(b, "limited")
	free, freeThrottles := producer(b, "free")
	var freeBytes int64
	freeDone := make(chan struct{})
	go func() {
		defer close(freeDone)
		freeBytes = produceFor(t, free, 5*time.Second)
	}()
	limitedBytes := produceFor(t, limited, measure)
	<-freeDone

	rate := float64(limitedBytes) / measure.Seconds()
	t.Logf("limited: %.0f B/s over %v (quota %d), %d throttled responses, longest %d ms; free: %.0f B/s",
		rate, measure, quota, limitedThrottles.n.Load(), limitedThrottles.maxMs.Load(), float64(freeBytes)/5)
	if rate < 0.9*quota || rate > 1.1*quota {
		t.Errorf("limited producer ran at %.0f B/s, want within 10%% of %d", rate, quota)
	}
	if limitedThrottles.n.Load() == 0 {
		t.Error("the limited producer never saw throttle_time_ms > 0")
	}
	if n := freeThrottles.n.Load(); n != 0 {
		t.Errorf("the producer without a quota was throttled %d times", n)
	}
	if freeRate := float64(freeBytes) / 5; freeRate < 2*quota {
		t.Errorf("the producer without a quota ran at %.0f B/s, want well above the other's %d", freeRate, quota)
	}

	t.Run("a quota set while the client runs applies", func(t *testing.T) {
		setQuota(t, b, "free", "producer_byte_rate=102400")
		harness.Eventually(t, time.Minute, "the newly limited producer to be throttled", func() error {
			produceFor(t, free, 500*time.Millisecond)
			if freeThrottles.n.Load() == 0 {
				return errors.New("no throttle yet")
			}
			return nil
		})
	})
	t.Run("consumer_byte_rate throttles fetches", func(t *testing.T) {
		setQuota(t, b, "reader", "consumer_byte_rate=102400")
		h := &throttles{}
		cl := b.Client(kgo.ClientID("reader"), kgo.ConsumeTopics("q"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.WithHooks(h))
		harness.Eventually(t, time.Minute, "the limited consumer to be throttled", func() error {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			cl.PollFetches(ctx)
			if h.n.Load() == 0 {
				return errors.New("no throttle yet")
			}
			return nil
		})
	})
	t.Run("describe lists the quotas as kafka-configs", func(t *testing.T) {
		r := kq(t, b, "configs", "--describe", "--entity-type", "clients", "--entity-name", "limited")
		if r.Code != 0 || r.Stdout != "Quota configs for client-id 'limited' are producer_byte_rate=1048576.0\n" {
			t.Fatalf("describe: %+v", r)
		}
	})
	t.Run("bad input is refused with Kafka's errors", func(t *testing.T) {
		for _, c := range []struct{ kv, msg string }{
			{"producer_byte_rate=-5", "non-negative"},
			{"retention.ms=1", "Invalid configuration key retention.ms"},
			{"producer_byte_rate=1.5", "must be a LONG value"},
		} {
			r := kq(t, b, "configs", "--alter", "--entity-type", "users", "--entity-name", "mallory", "--add-config", c.kv)
			if r.Code == 0 || !strings.Contains(r.Stderr, c.msg) {
				t.Errorf("%s: %+v", c.kv, r)
			}
		}
		if r := kq(t, b, "configs", "--describe", "--entity-type", "users", "--entity-name", "mallory"); r.Code != 0 || r.Stdout != "" {
			t.Errorf("a refused alteration left quotas: %+v", r)
		}
	})
}

// waitThrottled produces one record at a time as clientID until a
// response carries a throttle time.
func waitThrottled(t *testing.T, b *harness.Broker, clientID string, timeout time.Duration) {
	t.Helper()
	cl, h := producer(b, clientID)
	defer cl.Close()
	value := make([]byte, 4<<10)
	harness.Eventually(t, timeout, clientID+" to be throttled", func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := cl.ProduceSync(ctx, &kgo.Record{Value: value}).FirstErr(); err != nil {
			return err
		}
		if h.n.Load() == 0 {
			return errors.New("no throttle yet")
		}
		return nil
	})
}
