package server

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// BenchmarkPipelinedApiVersions measures small-request throughput: one
// connection, requests written back to back while responses are read.
func BenchmarkPipelinedApiVersions(b *testing.B) {
	s := startServer(b, Config{}, newFakeHandler())
	c := dialClient(b, s.addr)
	req := kmsg.NewPtrApiVersionsRequest()
	req.SetVersion(3)
	frame, _ := c.encodeRequest(req)
	writeErr := make(chan error, 1)
	b.ResetTimer()
	start := time.Now()
	go func() {
		w := bufio.NewWriterSize(c.nc, 64*1024)
		for range b.N {
			if _, err := w.Write(frame); err != nil {
				writeErr <- err
				return
			}
		}
		writeErr <- w.Flush()
	}()
	r := bufio.NewReaderSize(c.nc, 64*1024)
	buf := make([]byte, 32*1024)
	var respBytes int64
	for range b.N {
		n, err := discardFrame(r, buf)
		if err != nil {
			b.Fatalf("read response: %v", err)
		}
		respBytes += n
	}
	if err := <-writeErr; err != nil {
		b.Fatalf("write requests: %v", err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	b.SetBytes(int64(len(frame)) + respBytes/int64(b.N))
}

// BenchmarkRoundTripMetadata measures one request at a time: latency bound.
func BenchmarkRoundTripMetadata(b *testing.B) {
	s := startServer(b, Config{}, newFakeHandler())
	c := dialClient(b, s.addr)
	req := metadataRequest(12)
	frame, _ := c.encodeRequest(req)
	r := bufio.NewReader(c.nc)
	buf := make([]byte, 32*1024)
	b.ResetTimer()
	for range b.N {
		if _, err := c.nc.Write(frame); err != nil {
			b.Fatal(err)
		}
		if _, err := discardFrame(r, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// discardFrame reads one frame and drops it, returning its size with prefix.
func discardFrame(r io.Reader, buf []byte) (int64, error) {
	var prefix [4]byte
	if _, err := io.ReadFull(r, prefix[:]); err != nil {
		return 0, err
	}
	size := int64(binary.BigEndian.Uint32(prefix[:]))
	n, err := io.CopyBuffer(struct{ io.Writer }{io.Discard}, io.LimitReader(r, size), buf) // hide ReadFrom: use buf
	if err == nil && n < size {
		err = io.ErrUnexpectedEOF
	}
	return n + 4, err
}

const fetchBenchSize = 1 << 20

// BenchmarkFetch1MiB compares a 1 MiB Fetch response spliced from the file
// with sendfile against the same bytes held in memory.
func BenchmarkFetch1MiB(b *testing.B) {
	f, data := segmentFile(b, fetchBenchSize)
	for _, mode := range []string{"sendfile", "memory"} {
		b.Run(mode, func(b *testing.B) {
			h := newFakeHandler()
			h.handle = func(_ context.Context, req *Request) (*Response, error) {
				resp := &Response{}
				batches := fetchBatches{inline: data}
				if mode == "sendfile" {
					batches = fetchBatches{region: &FileRegion{File: f, Len: fetchBenchSize}}
				}
				resp.Msg = buildFetch(req.Version, []fetchBatches{batches}, data, resp)
				return resp, nil
			}
			s := startServer(b, Config{}, h)
			c := dialClient(b, s.addr)
			req := kmsg.NewPtrFetchRequest()
			req.SetVersion(12)
			frame, _ := c.encodeRequest(req)
			buf := make([]byte, 256*1024)
			b.SetBytes(fetchBenchSize)
			b.ResetTimer()
			for range b.N {
				if _, err := c.nc.Write(frame); err != nil {
					b.Fatal(err)
				}
				if _, err := discardFrame(c.nc, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFetch100Partitions1KiB measures a Fetch of many small regions, the
// shape of a consumer caught up on many partitions.
func BenchmarkFetch100Partitions1KiB(b *testing.B) {
	const parts, size = 100, 1024
	f, data := segmentFile(b, parts*size)
	batches := make([]fetchBatches, parts)
	for i := range batches {
		batches[i] = fetchBatches{region: &FileRegion{File: f, Pos: int64(i * size), Len: size}}
	}
	h := newFakeHandler()
	h.handle = func(_ context.Context, req *Request) (*Response, error) {
		resp := &Response{}
		resp.Msg = buildFetch(req.Version, batches, data, resp)
		return resp, nil
	}
	s := startServer(b, Config{}, h)
	c := dialClient(b, s.addr)
	req := kmsg.NewPtrFetchRequest()
	req.SetVersion(12)
	frame, _ := c.encodeRequest(req)
	buf := make([]byte, 256*1024)
	b.SetBytes(parts * size)
	b.ResetTimer()
	for range b.N {
		if _, err := c.nc.Write(frame); err != nil {
			b.Fatal(err)
		}
		if _, err := discardFrame(c.nc, buf); err != nil {
			b.Fatal(err)
		}
	}
}
