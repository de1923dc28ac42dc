package server

import (
	"encoding/binary"
	"io"
	"math/rand/v2"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// placeholderLen is the size of the bytes AttachFile hands out. 16 bytes keep
// its length prefix at one fixed size per encoding (0x00000010, or the compact
// uvarint 0x11) and make an accidental match in other data a 2^-128 event.
const placeholderLen = 16

// Response is a Handler's answer to one Request.
type Response struct {
	// Ready, if set, delays writing this response (and, to keep order, every
	// later one on the connection) until it is closed. Msg is read only after
	// Ready is closed, so the handler may fill it in until then.
	Ready <-chan struct{}
	// Msg is the response; nil sends nothing (acks=0 produce). The server sets
	// its version to the request's.
	Msg kmsg.Response
	// Release, if set, is called once when the server is done with the
	// response: after it is written, or when the connection closes first. It
	// lets the log keep the files of attached regions open until then.
	Release func()
	// FrameDone says that nothing of the request (its Body's byte slices
	// alias the bytes read off the connection) is used once Handle has
	// returned, so the server may reuse those bytes for a later request.
	// Leave it unset when anything, Msg or a goroutine, may still read them.
	FrameDone bool
	// Throttle is the client quota's throttle time (KIP-219): the server
	// writes it into the response's throttle_time_ms (keeping a longer one
	// already there) and, once the response is written, mutes the
	// connection that long. Like Msg it is read only after Ready closes.
	// A response with a nil Msg (acks=0) still mutes.
	Throttle time.Duration

	files []attachedFile
}

// FileRegion is a byte range of a file sent to the client in place of a Fetch
// partition's RecordBatches, with sendfile(2) where the connection and the
// file allow it.
type FileRegion struct {
	File RegionFile
	Pos  int64 // read with pread-style offsets: the file's own offset is never used
	Len  int32
}

// RegionFile is what a region is read from: positioned reads, and a name for
// errors. A file that also offers syscall.Conn (an *os.File does) can be
// sent with sendfile(2); any other is copied through ReadAt.
type RegionFile interface {
	io.ReaderAt
	Name() string
}

// attachedFile pairs a region with the placeholder standing for it in Msg.
type attachedFile struct {
	FileRegion
	placeholder []byte
}

// AttachFile registers a file region to be sent in place of a Fetch
// partition's RecordBatches and returns the placeholder bytes the handler must
// assign to that field (and to no other). Regions may be attached in any
// order; a placeholder left out of Msg simply sends nothing. The file must stay
// open until Release is called; if it turns out shorter than Len, the
// connection is closed rather than sending a padded or short response.
func (r *Response) AttachFile(fr FileRegion) []byte {
	p := make([]byte, placeholderLen)
	binary.LittleEndian.PutUint64(p[0:8], rand.Uint64())
	binary.LittleEndian.PutUint64(p[8:16], rand.Uint64())
	r.files = append(r.files, attachedFile{FileRegion: fr, placeholder: p})
	return p
}

// release calls Release once; nil-safe so callers need not check.
func (r *Response) release() {
	if r == nil || r.Release == nil {
		return
	}
	fn := r.Release
	r.Release = nil
	fn()
}
