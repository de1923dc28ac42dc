package fetcher_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/fetcher"
)

// kgoClient is the general client the fetcher used before its own
// connection: franz-go's raw request path to one seed broker.
type kgoClient struct{ cl *kgo.Client }

func (c kgoClient) Request(ctx context.Context, req kmsg.Request) (kmsg.Response, error) {
	return c.cl.SeedBrokers()[0].Request(ctx, req)
}

func (c kgoClient) Close() { c.cl.Close() }

// BenchmarkFetchClient512KiB fetches 512 KiB of records per request from
// kq's network layer: the fetcher's own connection against kgo. The
// bytes and allocations per fetch are what a follower adds to its
// garbage collector's work for every round. 512 KiB stays below the
// encode buffer the server keeps, so the server side allocates nothing
// and the figures are the client's.
func BenchmarkFetchClient512KiB(b *testing.B) {
	for _, tc := range []struct {
		name string
		dial func(addr string) (fetcher.Client, error)
	}{
		{"direct", fetcher.DirectDialer(followerID, -1, nil)},
		{"kgo", func(addr string) (fetcher.Client, error) {
			cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
			return kgoClient{cl}, err
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			srv, addr := startKafkaServer(b)
			srv.records = bytes.Repeat([]byte("r"), 512<<10)
			cl, err := tc.dial(addr)
			if err != nil {
				b.Fatal(err)
			}
			defer cl.Close()
			ctx := context.Background()
			b.SetBytes(512 << 10)
			b.ReportAllocs()
			for b.Loop() {
				resp, err := cl.Request(ctx, fetchRequest(0))
				if err != nil {
					b.Fatal(err)
				}
				if n := len(resp.(*kmsg.FetchResponse).Topics[0].Partitions[0].RecordBatches); n != 512<<10 {
					b.Fatalf("%d bytes fetched", n)
				}
			}
		})
	}
}
