package server

import (
	"bytes"
	"context"
	"os"
	"syscall"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// plainFile is a region file that is not an *os.File (the log's files on a
// fault-injecting filesystem are such): no sendfile, only ReadAt.
type plainFile struct{ f *os.File }

func (p plainFile) ReadAt(b []byte, off int64) (int, error) { return p.f.ReadAt(b, off) }
func (p plainFile) Name() string                            { return p.f.Name() }

// failingFile is a region file whose disk fails every read.
type failingFile struct{}

func (failingFile) ReadAt([]byte, int64) (int, error) {
	return 0, &os.PathError{Op: "read", Path: "failing.log", Err: syscall.EIO}
}
func (failingFile) Name() string { return "failing.log" }

// fetchWithRegion serves every Fetch with one partition holding fr.
func fetchWithRegion(t *testing.T, fr FileRegion) *testServer {
	h := newFakeHandler()
	h.handle = func(_ context.Context, req *Request) (*Response, error) {
		resp := &Response{}
		resp.Msg = buildFetch(req.Version, []fetchBatches{{region: &fr}}, nil, resp)
		return resp, nil
	}
	return startServer(t, Config{}, h)
}

// A region of a file that offers no sendfile is copied, even over a socket,
// and the frame is the same as with sendfile.
func TestFetchRegionOfAFileWithoutSendfile(t *testing.T) {
	f, data := segmentFile(t, 100_000)
	fr := FileRegion{File: plainFile{f}, Pos: 10, Len: 90_000}
	s := fetchWithRegion(t, fr)
	c := connect(t, s, "tcp")
	req := kmsg.NewPtrFetchRequest()
	req.SetVersion(12)
	corr := c.send(req)
	frame, err := c.readFrame()
	if err != nil {
		t.Fatal(err)
	}
	inMemory := FileRegion{File: f, Pos: fr.Pos, Len: fr.Len}
	if want := appendFrame(nil, corr, buildFetch(12, []fetchBatches{{region: &inMemory}}, data, nil)); !bytes.Equal(frame, want[4:]) {
		t.Fatalf("frame of %d bytes differs from the in-memory encoding (%d bytes)", len(frame), len(want)-4)
	}
	if sent := counterValue(s.metrics.sendfileBytes); sent != 0 {
		t.Fatalf("sendfile sent %v bytes of a file without sendfile", sent)
	}
}

// A read error on the region's file (EIO) closes the connection, whatever
// path the region takes; nothing panics and no short frame is sent.
func TestFetchRegionReadErrorCloses(t *testing.T) {
	regions := map[string]FileRegion{
		"small, read into the buffer": {File: failingFile{}, Pos: 0, Len: 100},
		"large, copied":               {File: failingFile{}, Pos: 0, Len: 3 * smallRegion},
	}
	for _, transport := range []string{"tcp", "pipe"} {
		for name, fr := range regions {
			t.Run(transport+"/"+name, func(t *testing.T) {
				s := fetchWithRegion(t, fr)
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
