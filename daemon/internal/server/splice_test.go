package server

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// segmentFile writes a file of random bytes and returns it open for reading.
func segmentFile(t testing.TB, size int) (*os.File, []byte) {
	t.Helper()
	data := make([]byte, size)
	rng := rand.New(rand.NewPCG(1, uint64(size)))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	path := filepath.Join(t.TempDir(), "00000000000000000000.log")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, data
}

// fetchBatches is the content of each partition of the test Fetch response:
// from the file (region) or from memory (inline).
type fetchBatches struct {
	region *FileRegion
	inline []byte
}

// buildFetch builds a Fetch response with one topic and a partition per
// entry. attach, when set, attaches regions in reverse partition order (so
// splicing cannot rely on attachment order); otherwise region bytes are
// copied in, giving the bytes a non-spliced response must equal.
func buildFetch(version int16, parts []fetchBatches, data []byte, resp *Response) *kmsg.FetchResponse {
	msg := kmsg.NewPtrFetchResponse()
	msg.SetVersion(version)
	topic := kmsg.NewFetchResponseTopic()
	topic.Topic = "orders"
	topic.TopicID = [16]byte{1, 2, 3}
	topic.Partitions = make([]kmsg.FetchResponseTopicPartition, len(parts))
	for i := range parts {
		p := kmsg.NewFetchResponseTopicPartition()
		p.Partition, p.HighWatermark = int32(i), 1000
		p.RecordBatches = parts[i].inline
		topic.Partitions[i] = p
	}
	for i := len(parts) - 1; i >= 0; i-- {
		fr := parts[i].region
		switch {
		case fr == nil:
		case resp != nil:
			topic.Partitions[i].RecordBatches = resp.AttachFile(*fr)
		default:
			topic.Partitions[i].RecordBatches = data[fr.Pos : fr.Pos+int64(fr.Len)]
		}
	}
	msg.Topics = []kmsg.FetchResponseTopic{topic}
	return msg
}

// connect returns a client over real TCP (sendfile) or net.Pipe (copy).
func connect(t *testing.T, s *testServer, transport string) *testClient {
	if transport == "tcp" {
		return dialClient(t, s.addr)
	}
	client, server := net.Pipe()
	t.Cleanup(func() { _ = client.Close() })
	s.startConn(server, Listener{Name: "PIPE"})
	return newTestClient(t, client)
}

// Spliced Fetch responses are byte-identical to the same response encoded
// with the records in memory, for non-flexible and flexible versions, over
// sendfile and over the copying fallback.
func TestFetchSplice(t *testing.T) {
	f, data := segmentFile(t, 200_000)
	parts := []fetchBatches{
		{region: &FileRegion{File: f, Pos: 0, Len: 1000}},
		{inline: []byte("in-memory batches")},
		{region: &FileRegion{File: f, Pos: 1000, Len: 150_000}}, // > copyChunk, > uvarint 2 bytes
		{region: &FileRegion{File: f, Pos: 199_990, Len: 10}},
		{region: &FileRegion{File: f, Pos: 5, Len: 0}},
		{},
	}
	for _, transport := range []string{"tcp", "pipe"} {
		for _, version := range []int16{4, 11, 12, 16} {
			t.Run(fmt.Sprintf("%s/v%d", transport, version), func(t *testing.T) {
				h := newFakeHandler()
				h.handle = func(_ context.Context, req *Request) (*Response, error) {
					if req.Key != 1 {
						return &Response{Msg: req.Body.ResponseKind()}, nil
					}
					resp := &Response{}
					resp.Msg = buildFetch(req.Version, parts, data, resp)
					return resp, nil
				}
				s := startServer(t, Config{}, h)
				c := connect(t, s, transport)
				req := kmsg.NewPtrFetchRequest()
				req.SetVersion(version)
				corr := c.send(req)
				frame, err := c.readFrame()
				if err != nil {
					t.Fatalf("read response: %v", err)
				}
				want := appendFrame(nil, corr, buildFetch(version, parts, data, nil))
				if !bytes.Equal(frame, want[4:]) {
					t.Fatalf("spliced frame (%d bytes) differs from in-memory encoding (%d bytes)", len(frame), len(want)-4)
				}
				got := kmsg.NewPtrFetchResponse()
				got.SetVersion(version)
				if _, err := decodeResponseFrame(frame, got); err != nil {
					t.Fatalf("kmsg decode: %v", err)
				}
				if b := got.Topics[0].Partitions[2].RecordBatches; !bytes.Equal(b, data[1000:151_000]) {
					t.Errorf("partition 2 decoded %d bytes, not the file region", len(b))
				}
				c.roundTrip() // the stream is still in step
				sent := counterValue(s.metrics.sendfileBytes)
				if wantSent := map[string]float64{"tcp": 150_000, "pipe": 0}[transport]; sent != wantSent {
					t.Errorf("sendfile bytes %v, want %v", sent, wantSent)
				}
			})
		}
	}
}

// A file shorter than its region closes the connection: no padding, no
// short frame followed by the next response.
func TestFetchRegionBeyondFileCloses(t *testing.T) {
	f, _ := segmentFile(t, 1000)
	regions := map[string]FileRegion{
		"small": {File: f, Pos: 900, Len: 200},
		"large": {File: f, Pos: 0, Len: 3 * smallRegion},
	}
	for _, transport := range []string{"tcp", "pipe"} {
		for name, fr := range regions {
			t.Run(transport+"/"+name, func(t *testing.T) {
				h := newFakeHandler()
				h.handle = func(_ context.Context, req *Request) (*Response, error) {
					resp := &Response{}
					resp.Msg = buildFetch(req.Version, []fetchBatches{{region: &fr}}, nil, resp)
					return resp, nil
				}
				s := startServer(t, Config{}, h)
				c := connect(t, s, transport)
				req := kmsg.NewPtrFetchRequest()
				req.SetVersion(12)
				c.send(req)
				c.expectClosed()
				waitFor(t, "close counted", func() bool { return s.closedCount(reasonResponseError) == 1 })
			})
		}
	}
}

// rawBytesResponse is a response whose only field has no length prefix: a
// placeholder in it cannot be spliced, which forces the in-memory path.
type rawBytesResponse struct {
	kmsg.FetchResponse
	Data []byte
}

func (r *rawBytesResponse) AppendTo(dst []byte) []byte { return append(dst, r.Data...) }

func TestEncodeFallsBackToMemory(t *testing.T) {
	f, data := segmentFile(t, 100)
	resp := &Response{}
	msg := &rawBytesResponse{}
	msg.SetVersion(4)
	msg.Data = resp.AttachFile(FileRegion{File: f, Pos: 10, Len: 30})
	resp.AttachFile(FileRegion{File: f, Pos: 90, Len: 50}) // unused, and beyond the file: must not be read
	_, enc, err := encodeResponse(nil, 9, msg, resp.files)
	if err != nil {
		t.Fatal(err)
	}
	if !enc.materialized || len(enc.parts) != 1 {
		t.Fatalf("materialized %v with %d parts, want one in-memory part", enc.materialized, len(enc.parts))
	}
	want := append([]byte{0, 0, 0, 34, 0, 0, 0, 9}, data[10:40]...)
	if !bytes.Equal(enc.parts[0].data, want) {
		t.Errorf("frame % x, want % x", enc.parts[0].data, want)
	}
}

func TestEncodeCountsUnusedRegions(t *testing.T) {
	f, _ := segmentFile(t, 100)
	resp := &Response{}
	msg := buildFetch(12, []fetchBatches{{region: &FileRegion{File: f, Len: 10}}}, nil, resp)
	resp.AttachFile(FileRegion{File: f, Pos: 50, Len: 10}) // never placed in msg
	_, enc, err := encodeResponse(nil, 1, msg, resp.files)
	if err != nil {
		t.Fatal(err)
	}
	if enc.unused != 1 || enc.materialized {
		t.Errorf("unused %d, materialized %v; want 1 unused, spliced", enc.unused, enc.materialized)
	}
	var size int64
	for _, p := range enc.parts[1:] {
		size += p.len()
	}
	want := int64(len(appendFrame(nil, 1, buildFetch(12, []fetchBatches{{inline: make([]byte, 10)}}, nil, nil)))) - 4
	if size != want {
		t.Errorf("frame size %d, want %d", size, want)
	}
}
