package compat

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// BenchmarkLoopbackProduce is a produce end to end over loopback: one
// real broker, a 6-partition topic, one franz-go producer at acks=all
// without compression, b.N records of 100 bytes and of 16 KiB. Compare
// builds with benchstat over interleaved runs: the machine's load moves
// the absolute figures.
func BenchmarkLoopbackProduce(b *testing.B) {
	broker := harness.StartBroker(b, harness.Options{BrokerID: 1})
	for _, size := range []int{100, 16 << 10} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			topic := fmt.Sprintf("bench-%d-%d", size, b.N)
			if _, err := kadm.NewClient(broker.Client()).CreateTopic(context.Background(), 6, 1, nil, topic); err != nil {
				b.Fatal(err)
			}
			cl := broker.Client(kgo.RequiredAcks(kgo.AllISRAcks()), kgo.ProducerBatchCompression(kgo.NoCompression()),
				kgo.DefaultProduceTopic(topic))
			defer cl.Close()
			value := make([]byte, size)
			_, _ = rand.Read(value)
			b.SetBytes(int64(size))
			b.ResetTimer()
			produceN(b, cl, value, b.N)
		})
	}
}

// produceN produces n records of value and waits for every acknowledgement.
func produceN(b *testing.B, cl *kgo.Client, value []byte, n int) {
	var wg sync.WaitGroup
	var once sync.Once
	var failed error
	wg.Add(n)
	for range n {
		cl.Produce(context.Background(), &kgo.Record{Value: value}, func(_ *kgo.Record, err error) {
			if err != nil {
				once.Do(func() { failed = err })
			}
			wg.Done()
		})
	}
	wg.Wait()
	if failed != nil {
		b.Fatal(failed)
	}
}
