package perf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
)

// roundTrips sends opts.Messages records one at a time, each acknowledged
// and consumed back before the next, and returns each one's latency.
func roundTrips(ctx context.Context, opts *E2EOptions, p factory.Producer, c factory.Consumer, lines io.Writer) ([]time.Duration, error) {
	latencies := make([]time.Duration, 0, opts.Messages)
	payload := make([]byte, opts.MessageSize)
	for i := int64(0); i < opts.Messages; i++ {
		for j := range payload {
			payload[j] = byte('A' + rand.IntN(26))
		}
		begin := time.Now()
		if err := produceSync(ctx, p, admin.Record{Topic: opts.Topic, Partition: admin.AnyPartition, Value: payload}); err != nil {
			return nil, err
		}
		if err := consumeOne(ctx, c, payload, opts.PollTimeout); err != nil {
			return nil, err
		}
		elapsed := time.Since(begin)
		if i%1000 == 0 {
			fmt.Fprintf(lines, "%d\t%s\n", i, strconv.FormatFloat(ms(elapsed), 'f', -1, 64))
		}
		latencies = append(latencies, elapsed)
	}
	return latencies, nil
}

func produceSync(ctx context.Context, p factory.Producer, rec admin.Record) error {
	acked := make(chan error, 1)
	p.Produce(ctx, rec, func(_ admin.Record, err error) { acked <- err })
	select {
	case err := <-acked:
		if err != nil {
			return fmt.Errorf("produce: %w", err)
		}
		return nil
	case <-ctx.Done():
		return clierr.ErrInterrupted
	}
}

// consumeOne polls until the record just produced comes back, and checks
// it is that record and the only one, as Kafka's tool does.
func consumeOne(ctx context.Context, c factory.Consumer, sent []byte, timeout time.Duration) error {
	pollCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		recs, err := c.Poll(pollCtx)
		switch {
		case ctx.Err() != nil:
			return clierr.ErrInterrupted
		case len(recs) == 0 && errors.Is(err, context.DeadlineExceeded):
			return fmt.Errorf("poll timed out before finding a result (timeout: %s)", timeout)
		case len(recs) == 0 && err != nil:
			return fmt.Errorf("consume: %w", err)
		case len(recs) == 0:
			continue
		case len(recs) > 1:
			return fmt.Errorf("only one result was expected during this test, found %d", len(recs))
		case !bytes.Equal(recs[0].Value, sent):
			return fmt.Errorf("the message read [%s] did not match the message sent [%s]", recs[0].Value, sent)
		}
		return nil
	}
}

// E2ESummary is the result of `kq perf e2e`. The text output truncates
// the percentiles to whole milliseconds as Kafka's tool does; the fields
// keep the fractions.
type E2ESummary struct {
	Messages     int64   `json:"messages"`
	AvgLatencyMs float64 `json:"avg_latency_ms"`
	P50Ms        float64 `json:"p50_ms"`
	P99Ms        float64 `json:"p99_ms"`
	P999Ms       float64 `json:"p99_9_ms"`
	MaxLatencyMs float64 `json:"max_latency_ms"`
}

func e2eSummary(latencies []time.Duration) E2ESummary {
	s := E2ESummary{Messages: int64(len(latencies))}
	if len(latencies) == 0 {
		return s
	}
	var total time.Duration
	for _, l := range latencies {
		total += l
	}
	sorted := slices.Clone(latencies)
	slices.Sort(sorted)
	s.AvgLatencyMs = ms(total) / float64(len(latencies))
	s.P50Ms, s.P99Ms, s.P999Ms = percentile(sorted, 0.5), percentile(sorted, 0.99), percentile(sorted, 0.999)
	s.MaxLatencyMs = ms(sorted[len(sorted)-1])
	return s
}

// lines are kafka-e2e-latency's two result lines.
func (s E2ESummary) lines() string {
	return fmt.Sprintf("Avg latency: %.4f ms\nPercentiles: 50th = %d, 99th = %d, 99.9th = %d\n",
		s.AvgLatencyMs, int64(s.P50Ms), int64(s.P99Ms), int64(s.P999Ms))
}
