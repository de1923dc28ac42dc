package server

import (
	"context"
	"encoding/binary"
	"net"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// allVersionsHandler serves every version kmsg knows, so fuzzed frames reach
// every decoder, and answers with an empty response of the right kind.
type allVersionsHandler struct{}

func (allVersionsHandler) Versions(key int16) (int16, int16, bool) {
	req := kmsg.RequestForKey(key)
	if req == nil {
		return 0, 0, false
	}
	return 0, req.MaxVersion(), true
}

func (allVersionsHandler) Handle(_ context.Context, req *Request) (*Response, error) {
	return &Response{Msg: req.Body.ResponseKind()}, nil
}

// seedFrames are well-formed frames (no size prefix) of every request kmsg
// knows at its lowest, middle and highest version.
func seedFrames() [][]byte {
	var frames [][]byte
	f := kmsg.NewRequestFormatter(kmsg.FormatterClientID("fuzz"))
	for key := int16(0); key <= kmsg.MaxKey; key++ {
		req := kmsg.RequestForKey(key)
		if req == nil {
			continue
		}
		for _, v := range []int16{0, req.MaxVersion() / 2, req.MaxVersion()} {
			req.SetVersion(v)
			frames = append(frames, f.AppendRequest(nil, req, 1)[4:])
		}
	}
	return frames
}

// FuzzRequestDecoding feeds frames through the request path (header, version
// admission, body decoding, Handle, response encoding): it must never panic.
func FuzzRequestDecoding(f *testing.F) {
	for _, frame := range seedFrames() {
		f.Add(frame)
	}
	f.Add([]byte{0, 18, 0, 99, 0, 0, 0, 1, 0xff, 0xff})
	srv, err := New(Config{Listeners: []Listener{{Name: "FUZZ", Address: "127.0.0.1:0"}}}, allVersionsHandler{})
	if err != nil {
		f.Fatal(err)
	}
	local, remote := net.Pipe()
	defer local.Close()
	defer remote.Close()
	c := srv.newConn(local, Listener{Name: "FUZZ"})
	f.Fuzz(func(t *testing.T, frame []byte) {
		if mayHitTagLoop(frame) {
			t.Skip("claims a tag count kmsg would loop over for seconds; see doc.go")
		}
		p, _, ok := c.process(frame)
		if !ok {
			return
		}
		if hdr, rest, err := parseHeader(frame); err == nil && p.version == hdr.version {
			if _, err := decodeBody(hdr, rest); err != nil { // unguarded: would panic here
				t.Fatalf("admitted frame fails to decode: %v", err)
			}
		}
		if _, reason := c.encode(p); reason != nil {
			t.Fatalf("response to an admitted request failed to encode: %v", reason.err)
		}
	})
}

// mayHitTagLoop reports whether some uvarint in the frame claims more than
// 2^16 tags and more than the bytes after it could hold. kmsg (v1.15) keeps
// counting down such a tag count after the input ran out, a few ns per
// claimed tag: up to 2^32 tags, 17 s of CPU for a 30-byte frame. Fuzzing skips
// these inputs so it finds other bugs; the server cannot tell them from valid
// record bytes without kmsg's schema.
func mayHitTagLoop(frame []byte) bool {
	for p := range frame {
		v, n := binary.Uvarint(frame[p:min(p+5, len(frame))])
		if n > 0 && v > 1<<16 && v > uint64(len(frame)-p-n)/2 {
			return true
		}
	}
	return false
}
