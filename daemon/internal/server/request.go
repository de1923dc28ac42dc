package server

import (
	"errors"
	"fmt"
	"net"

	"github.com/twmb/franz-go/pkg/kbin"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// apiVersionsKey is ApiVersions, the one API whose unsupported versions get an
// answer instead of a closed connection, and whose response header is always v0.
const apiVersionsKey = 18

// ConnInfo identifies the connection a request arrived on.
type ConnInfo struct {
	ID       uint64 // unique within the Server, in accept order
	Remote   net.Addr
	Local    net.Addr
	Listener string // Listener.Name
	// SecurityProtocol is the listener's: PLAINTEXT, SSL, SASL_PLAINTEXT
	// or SASL_SSL.
	SecurityProtocol string
	// Principal is who the connection authenticated as, in Kafka's form
	// "User:NAME": AnonymousPrincipal until authenticated, the mapped
	// certificate name on SSL with a client certificate, the SASL user once
	// SASL authentication succeeds.
	Principal string
}

// Request is one decoded request, handed to Handler.Handle.
type Request struct {
	Key, Version  int16
	CorrelationID int32
	ClientID      string       // a null client id reads as "", as in Kafka
	Body          kmsg.Request // decoded, version set
	Conn          ConnInfo
	Size          int // bytes on the wire, including the 4-byte size prefix
}

// header is request header v1 (v2 adds tagged fields, skipped by decodeBody).
type header struct {
	key, version int16
	correlation  int32
	clientID     string
}

// errTruncatedHeader means the frame ended inside the request header.
var errTruncatedHeader = errors.New("request header truncated")

// controlledShutdownKey v0 is the one request sent with header v0, which has
// no client id.
const controlledShutdownKey = 7

// parseHeader reads header v1 from a frame and returns the bytes after it.
func parseHeader(frame []byte) (header, []byte, error) {
	r := kbin.Reader{Src: frame}
	h := header{key: r.Int16(), version: r.Int16(), correlation: r.Int32()}
	if hasClientID := h.key != controlledShutdownKey || h.version != 0; hasClientID {
		if id := r.NullableString(); id != nil {
			h.clientID = *id
		}
	}
	if !r.Ok() {
		return header{}, nil, errTruncatedHeader
	}
	return h, r.Src, nil
}

// decodeBody decodes the body of a request whose key and version the broker
// serves; rest is what follows header v1. Header v2's tagged fields are
// skipped: no header tag is defined for client requests.
func decodeBody(h header, rest []byte) (kmsg.Request, error) {
	req := kmsg.RequestForKey(h.key)
	if req == nil {
		return nil, fmt.Errorf("unknown api key %d", h.key)
	}
	req.SetVersion(h.version)
	if req.IsFlexible() {
		var err error
		if rest, err = skipTags(rest); err != nil {
			return nil, fmt.Errorf("header tags of %s v%d: %w", kmsg.NameForKey(h.key), h.version, err)
		}
	}
	if err := req.ReadFrom(rest); err != nil {
		return nil, fmt.Errorf("decode %s v%d: %w", kmsg.NameForKey(h.key), h.version, err)
	}
	return req, nil
}

// skipTags skips a tagged-field section. Unlike kmsg.SkipTags it stops at the
// first short read, so a forged count of 2^32 tags costs nothing.
func skipTags(src []byte) ([]byte, error) {
	r := kbin.Reader{Src: src}
	for n := r.Uvarint(); n > 0 && r.Ok(); n-- {
		r.Uvarint() // tag key
		r.Span(int(r.Uvarint()))
	}
	if !r.Ok() {
		return nil, errors.New("tagged fields truncated")
	}
	return r.Src, nil
}
