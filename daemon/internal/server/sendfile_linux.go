package server

import (
	"errors"
	"fmt"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// maxSendfileChunk stays under Linux's per-call limit of 0x7ffff000 bytes.
const maxSendfileChunk = 1 << 30

// sendfile sends a region with sendfile(2), passing an explicit offset so the
// file's own offset is neither used nor moved. The socket is non-blocking
// under Go's poller: on EAGAIN the raw write callback returns false and the
// poller parks the goroutine until the socket is writable.
func sendfile(nc net.Conn, fr FileRegion) (int64, error) {
	dst, ok := nc.(syscall.Conn)
	if !ok {
		return 0, errNoSendfile
	}
	dstRaw, err := dst.SyscallConn()
	if err != nil {
		return 0, errNoSendfile
	}
	src, ok := fr.File.(syscall.Conn)
	if !ok {
		return 0, errNoSendfile
	}
	srcRaw, err := src.SyscallConn()
	if err != nil {
		return 0, fmt.Errorf("file region of %s: %w", fr.File.Name(), err)
	}
	var sent int64
	var opErr error
	// Control keeps the file descriptor valid (not closed and reused) for the
	// whole transfer.
	ctlErr := srcRaw.Control(func(srcFD uintptr) {
		sent, opErr = sendfileFD(dstRaw, int(srcFD), fr)
	})
	if ctlErr != nil {
		return sent, fmt.Errorf("file region of %s: %w", fr.File.Name(), ctlErr)
	}
	return sent, opErr
}

// sendfileFD runs the sendfile loop inside the socket's raw write callback.
func sendfileFD(dstRaw syscall.RawConn, srcFD int, fr FileRegion) (int64, error) {
	off, end := fr.Pos, fr.Pos+int64(fr.Len)
	var opErr error
	werr := dstRaw.Write(func(dstFD uintptr) bool {
		for off < end {
			n, err := unix.Sendfile(int(dstFD), srcFD, &off, int(min(end-off, maxSendfileChunk)))
			switch {
			case errors.Is(err, unix.EAGAIN):
				return false
			case errors.Is(err, unix.EINTR):
				continue
			case err != nil:
				opErr = err
				return true
			case n == 0:
				opErr = errRegionTruncated
				return true
			}
		}
		return true
	})
	sent := off - fr.Pos
	if opErr == nil {
		opErr = werr
	}
	if opErr == nil {
		return sent, nil
	}
	if sent == 0 && (errors.Is(opErr, unix.EINVAL) || errors.Is(opErr, unix.ENOSYS) || errors.Is(opErr, unix.EOPNOTSUPP)) {
		return 0, errNoSendfile
	}
	return sent, fmt.Errorf("sendfile %d bytes at %d: %w", fr.Len, fr.Pos, opErr)
}
