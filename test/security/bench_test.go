package security

import (
	"context"
	"crypto/tls"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"

	"github.com/kqhq/kq/test/harness"
)

// recordSize is the value size of the benchmark records.
const recordSize = 1024

// roundRecords is how many records each listener produces and consumes per
// benchmark round (20 MiB).
const roundRecords = 20000

// BenchmarkTLSvsPlaintext produces and consumes over a PLAINTEXT, an SSL
// and a SASL_SSL (PLAIN) listener of one broker, rotating which goes first
// in each round, so
// both see the same machine load (the ratios are what to read; a shared
// machine moves the absolute numbers). Consuming over PLAINTEXT uses
// sendfile; over TLS the broker reads and encrypts every byte.
//
//	go test -run XXX -bench TLSvsPlaintext -benchtime 20x ./test/security
func BenchmarkTLSvsPlaintext(b *testing.B) {
	p := newPKI(b)
	plainPort, sslPort, saslPort := harness.FreePort(b), harness.FreePort(b), harness.FreePort(b)
	props := p.brokerStores(b, 1)
	props["listeners"] = fmt.Sprintf("PLAINTEXT://127.0.0.1:%d,SSL://127.0.0.1:%d,SASL_SSL://127.0.0.1:%d", plainPort, sslPort, saslPort)
	props["ssl.client.auth"] = "none"
	props["sasl.enabled.mechanisms"] = "PLAIN"
	props["listener.name.sasl_ssl.plain.sasl.jaas.config"] = `org.apache.kafka.common.security.plain.PlainLoginModule required user_bench="bench-secret";`
	br := harness.StartBroker(b, harness.Options{BrokerID: 1, Port: plainPort, Props: props})
	tlsOpt := kgo.DialTLSConfig(&tls.Config{RootCAs: p.ca.Pool()})
	sides := []*benchSide{
		{name: "ssl", opts: []kgo.Opt{kgo.SeedBrokers(fmt.Sprintf("127.0.0.1:%d", sslPort)), tlsOpt}},
		{name: "plaintext", opts: []kgo.Opt{kgo.SeedBrokers(br.Addr)}},
		{name: "sasl_ssl", opts: []kgo.Opt{kgo.SeedBrokers(fmt.Sprintf("127.0.0.1:%d", saslPort)), tlsOpt,
			kgo.SASL(plain.Auth{User: "bench", Pass: "bench-secret"}.AsMechanism())}},
	}
	b.SetBytes(int64(len(sides)) * 2 * roundRecords * recordSize) // produced and consumed, over every listener
	b.ResetTimer()
	for i := range b.N {
		for j := range sides {
			side := sides[(i+j)%len(sides)]
			topic := fmt.Sprintf("bench-%s-%d", side.name, i)
			b.StopTimer()
			createBenchTopic(b, br.Admin(), topic)
			b.StartTimer()
			start := time.Now()
			produceN(b, topic, roundRecords, side.opts)
			side.produce += time.Since(start)
			start = time.Now()
			consumeN(b, topic, roundRecords, side.opts)
			side.consume += time.Since(start)
		}
	}
	mb := float64(b.N) * roundRecords * recordSize / (1 << 20)
	for _, side := range sides {
		b.ReportMetric(mb/side.produce.Seconds(), "produce-"+side.name+"-MiB/s")
		b.ReportMetric(mb/side.consume.Seconds(), "consume-"+side.name+"-MiB/s")
	}
	b.ReportMetric(sides[1].produce.Seconds()/sides[0].produce.Seconds(), "produce-tls/plain")
	b.ReportMetric(sides[1].consume.Seconds()/sides[0].consume.Seconds(), "consume-tls/plain")
	b.ReportMetric(sides[1].produce.Seconds()/sides[2].produce.Seconds(), "produce-sasl_ssl/plain")
	b.ReportMetric(sides[1].consume.Seconds()/sides[2].consume.Seconds(), "consume-sasl_ssl/plain")
}

// benchSide is one listener's clients and accumulated times.
type benchSide struct {
	name             string
	opts             []kgo.Opt
	produce, consume time.Duration
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
