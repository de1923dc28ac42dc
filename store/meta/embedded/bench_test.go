package embedded

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta"
)

// A partition-state-sized payload.
var stateJSON = []byte(`{"controller_epoch":7,"leader":1,"version":1,"leader_epoch":3,"isr":[1,2,3]}`)

func benchServer(b *testing.B, dir string) meta.Store {
	srv, err := New(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	s, err := srv.Connect(time.Second)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkCreate measures one durable write per op (fsync included when
// on disk): the latency of a single metadata write.
func BenchmarkCreate(b *testing.B) {
	for _, where := range []string{"memory", "disk"} {
		b.Run(where, func(b *testing.B) {
			dir := ""
			if where == "disk" {
				dir = b.TempDir()
			}
			s := benchServer(b, dir)
			ctx := context.Background()
			b.SetBytes(int64(len(stateJSON)))
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.Create(ctx, fmt.Sprintf("/n%d", i), stateJSON, meta.Persistent); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCreateTopicMulti creates a 100-partition topic's state znodes
// in one Multi (one fsync), as a controller can.
func BenchmarkCreateTopicMulti(b *testing.B) {
	s := benchServer(b, b.TempDir())
	ctx := context.Background()
	b.SetBytes(int64(100 * len(stateJSON)))
	for i := range b.N {
		topic := fmt.Sprintf("/t%d", i)
		ops := []meta.Op{meta.CreateOp{Path: topic}}
		for p := range 100 {
			ops = append(ops, meta.CreateOp{Path: fmt.Sprintf("%s/%d", topic, p), Data: stateJSON})
		}
		if _, err := s.Multi(ctx, ops...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetParallel is write traffic from 16 sessions at once, each on
// its own node (ISR updates of different partitions, several brokers in
// one process): group commit lets them share fsyncs.
func BenchmarkSetParallel(b *testing.B) {
	srv, err := New(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	b.SetBytes(int64(len(stateJSON)))
	b.SetParallelism(8) // 16 writers on 2 cores
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		s, _ := srv.Connect(time.Second)
		path := fmt.Sprintf("/p%d", next.Add(1))
		if _, err := s.Create(ctx, path, nil, meta.Persistent); err != nil {
			b.Error(err)
			return
		}
		for pb.Next() {
			if _, err := s.Set(ctx, path, stateJSON, meta.AnyVersion); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	srv.wmu.Lock()
	b.ReportMetric(float64(srv.journal.syncs)/float64(b.N), "fsyncs/op")
	srv.wmu.Unlock()
}

func BenchmarkGet(b *testing.B) {
	s := benchServer(b, b.TempDir())
	ctx := context.Background()
	if _, err := s.Create(ctx, "/g", stateJSON, meta.Persistent); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(stateJSON)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := s.Get(ctx, "/g"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkRecover opens a store of 10,000 partition states (a snapshot
// plus a journal of as many records).
func BenchmarkRecover(b *testing.B) {
	dir := b.TempDir()
	srv, err := New(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	s, _ := srv.Connect(time.Second)
	ctx := context.Background()
	for t := range 100 {
		ops := []meta.Op{meta.CreateOp{Path: fmt.Sprintf("/t%d", t)}}
		for p := range 100 {
			ops = append(ops, meta.CreateOp{Path: fmt.Sprintf("/t%d/%d", t, p), Data: stateJSON})
		}
		if _, err := s.Multi(ctx, ops...); err != nil {
			b.Fatal(err)
		}
		if t == 49 {
			if err := srv.Compact(); err != nil {
				b.Fatal(err)
			}
		}
	}
	srv.Close()
	b.ResetTimer()
	for range b.N {
		srv, err := New(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		srv.Close()
	}
}
