package security

import (
	"context"
	"crypto/tls"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// recordSize is the value size of the benchmark records.
const recordSize = 1024

// BenchmarkTLSvsPlaintext produces and consumes the same records over a
// PLAINTEXT and an SSL listener of one broker in one run, so the ratios
// compare like with like. Consuming over PLAINTEXT uses sendfile; over TLS
// the broker must read and encrypt every byte.
//
//	go test -run XXX -bench TLSvsPlaintext -benchtime 200000x ./test/security
func BenchmarkTLSvsPlaintext(b *testing.B) {
	p := newPKI(b)
	plainPort, sslPort := harness.FreePort(b), harness.FreePort(b)
	props := p.brokerStores(b, 1)
	props["listeners"] = fmt.Sprintf("PLAINTEXT://127.0.0.1:%d,SSL://127.0.0.1:%d", plainPort, sslPort)
	props["ssl.client.auth"] = "none"
	br := harness.StartBroker(b, harness.Options{BrokerID: 1, Port: plainPort, Props: props})
	sslAddr := fmt.Sprintf("127.0.0.1:%d", sslPort)
	listeners := []struct {
		name string
		opts []kgo.Opt
	}{
		{"SSL", []kgo.Opt{kgo.SeedBrokers(sslAddr), kgo.DialTLSConfig(&tls.Config{RootCAs: p.ca.Pool()})}},
		{"PLAINTEXT", []kgo.Opt{kgo.SeedBrokers(br.Addr)}},
	}
	topics := 0
	newTopic := func(b *testing.B) string {
		topics++
		name := fmt.Sprintf("bench-%d", topics)
		createBenchTopic(b, br.Admin(), name)
		return name
	}
	for _, l := range listeners {
		b.Run("produce/"+l.name, func(b *testing.B) {
			produceN(b, newTopic(b), b.N, l.opts)
		})
		b.Run("consume/"+l.name, func(b *testing.B) {
			name := newTopic(b)
			b.StopTimer()
			produceN(b, name, b.N, listeners[1].opts) // filled over PLAINTEXT, outside the timer
			b.StartTimer()
			consumeN(b, name, b.N, l.opts)
		})
	}
}

func createBenchTopic(b *testing.B, adm *kadm.Client, topic string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if r, err := adm.CreateTopic(ctx, 1, 1, nil, topic); err != nil || r.Err != nil {
		b.Fatalf("create topic: %v %v", err, r.Err)
	}
}

func produceN(b *testing.B, topic string, n int, opts []kgo.Opt) {
	cl, err := kgo.NewClient(append(opts, kgo.DefaultProduceTopic(topic), kgo.ProducerLinger(5*time.Millisecond),
		kgo.ProducerBatchMaxBytes(1<<20), kgo.MaxBufferedRecords(100000))...)
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	value := make([]byte, recordSize)
	b.SetBytes(recordSize)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	errs := make(chan error, 1)
	for range n {
		cl.Produce(ctx, &kgo.Record{Value: value}, func(_ *kgo.Record, err error) {
			if err != nil {
				select {
				case errs <- err:
				default:
				}
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	select {
	case err := <-errs:
		b.Fatalf("produce: %v", err)
	default:
	}
}

func consumeN(b *testing.B, topic string, n int, opts []kgo.Opt) {
	cl, err := kgo.NewClient(append(opts, kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMaxBytes(64<<20), kgo.FetchMaxPartitionBytes(16<<20))...)
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	b.SetBytes(recordSize)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for seen := 0; seen < n; {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			b.Fatalf("consume after %d: %v", seen, err)
		}
		seen += fs.NumRecords()
	}
}
