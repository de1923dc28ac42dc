package server

import (
	"errors"
	"fmt"
	"io"
	"net"
)

// copyChunk is the buffer size for sending a region through user space, when
// the connection or the file offers no sendfile (net.Pipe in tests, TLS later).
const copyChunk = 64 * 1024

// sendRegion writes a file region to nc: with sendfile(2) when nc is a socket
// on Linux and the file an *os.File, else by pread into a scratch buffer and
// write. It reports the bytes written
// and whether sendfile wrote them. Any error leaves the stream mid-frame, so
// the caller must close the connection.
func sendRegion(nc net.Conn, fr FileRegion, scratch func() []byte) (n int64, viaSendfile bool, err error) {
	n, err = sendfile(nc, fr)
	if !errors.Is(err, errNoSendfile) {
		return n, true, err
	}
	n, err = copyRegion(nc, fr, scratch())
	return n, false, err
}

// errNoSendfile means the connection, the file or the platform cannot
// sendfile and nothing was written, so copying is a safe fallback.
var errNoSendfile = errors.New("sendfile not available")

// copyRegion sends a region by pread and write, never touching the file's
// own offset, so concurrent readers of one file do not interfere.
func copyRegion(w io.Writer, fr FileRegion, scratch []byte) (int64, error) {
	var sent int64
	for sent < int64(fr.Len) {
		chunk := scratch[:min(int64(len(scratch)), int64(fr.Len)-sent)]
		n, rerr := fr.File.ReadAt(chunk, fr.Pos+sent)
		if n > 0 {
			wn, werr := w.Write(chunk[:n])
			sent += int64(wn)
			if werr != nil {
				return sent, fmt.Errorf("write file region: %w", werr)
			}
		}
		if n < len(chunk) {
			return sent, regionReadError(fr, fr.Pos+sent, len(chunk), rerr)
		}
	}
	return sent, nil
}
