package fetcher

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/twmb/franz-go/pkg/kbin"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// maxResponseBytes bounds the size prefix of a response: a fetch answers
// at most replica.fetch.response.max.bytes plus one oversized first batch,
// so anything near this is a broken stream, not a response.
const maxResponseBytes = 1 << 30

// maxKeptBuffer is how large a read buffer may stay once responses are
// much smaller again: above replica.fetch.response.max.bytes' default
// (10 MiB), so steady fetching always reuses its buffer, while one
// oversized batch does not pin its size for the fetcher's lifetime.
const maxKeptBuffer = 16 << 20

// apiVersionsKey is ApiVersions, whose response header is always v0.
const apiVersionsKey = 18

// DirectDialer connects to a leader with one TCP connection that the
// calling goroutine drives: Request writes the request and reads its
// answer itself, and reads every response of an API into one buffer kept
// for the next. A fetch round then takes no goroutine hand-off on this
// broker and allocates no response buffer, where a general client (kgo)
// hands each request to a writer goroutine and each response from a
// reader goroutine, allocating its bytes: on a replicating broker that
// was two thirds of all allocation, and the garbage collector's pauses
// stalled every partition's replication with it.
//
// A response's byte slices (the fetched records) stay valid until the
// next request of the same API on the client; the fetcher applies a fetch
// response before it sends the next fetch. The connection is dialed on
// first use, and again after any error, so a Client outlives a leader's
// restart as a kgo client would.
//
// With tlsCfg (the inter-broker listener is SSL), the connection is TLS,
// the server name taken from addr's host when tlsCfg names none.
// receiveBuffer is replica.socket.receive.buffer.bytes (socketDialer).
func DirectDialer(brokerID int32, receiveBuffer int, tlsCfg *tls.Config) Dialer {
	formatter := kmsg.NewRequestFormatter(kmsg.FormatterClientID(fmt.Sprintf("kq-replica-fetcher-%d", brokerID)))
	return func(addr string) (Client, error) {
		return &directClient{addr: addr, formatter: formatter, bufs: map[int16][]byte{}, tls: tlsCfg,
			dialer: socketDialer(receiveBuffer)}, nil
	}
}

// directClient is one connection to one broker, used by one goroutine.
type directClient struct {
	addr      string
	formatter *kmsg.RequestFormatter
	tls       *tls.Config // nil: plaintext
	dialer    *net.Dialer

	conn        net.Conn // nil until dialed, and after an error
	versions    map[int16]kmsg.ApiVersionsResponseApiKey
	correlation int32
	wbuf        []byte
	bufs        map[int16][]byte // read buffers by API key
}

// Request sends req at the highest version both sides support and returns
// its decoded response. Any error closes the connection.
func (c *directClient) Request(ctx context.Context, req kmsg.Request) (kmsg.Response, error) {
	if c.conn == nil {
		if err := c.connect(ctx); err != nil {
			return nil, err
		}
	}
	if err := c.negotiate(req); err != nil {
		return nil, err // the connection is fine: this API is not
	}
	resp, err := c.roundTrip(ctx, req)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("%s to %s: %w", kmsg.NameForKey(req.Key()), c.addr, err)
	}
	return resp, nil
}

// negotiate sets req's version: the highest both this client (kmsg) and
// the broker (its ApiVersions answer) speak.
func (c *directClient) negotiate(req kmsg.Request) error {
	k, ok := c.versions[req.Key()]
	v := min(req.MaxVersion(), k.MaxVersion)
	if !ok || v < k.MinVersion {
		return fmt.Errorf("%s: broker %s supports versions %d-%d, this client up to %d: %w",
			kmsg.NameForKey(req.Key()), c.addr, k.MinVersion, k.MaxVersion, req.MaxVersion(), kerr.UnsupportedVersion)
	}
	req.SetVersion(v)
	return nil
}

// connect dials the broker and asks which versions it speaks.
func (c *directClient) connect(ctx context.Context) error {
	conn, err := c.dialer.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return fmt.Errorf("dial %s: %w", c.addr, err)
	}
	if c.tls != nil {
		if conn, err = c.handshake(ctx, conn); err != nil {
			return err
		}
	}
	c.conn = conn
	req := kmsg.NewPtrApiVersionsRequest()
	req.Version = 3
	req.ClientSoftwareName, req.ClientSoftwareVersion = "kq", "replica-fetcher"
	resp, err := c.roundTrip(ctx, req)
	if err != nil {
		c.Close()
		return fmt.Errorf("api versions of %s: %w", c.addr, err)
	}
	av := resp.(*kmsg.ApiVersionsResponse)
	if err := kerr.ErrorForCode(av.ErrorCode); err != nil {
		c.Close()
		return fmt.Errorf("api versions of %s: %w", c.addr, err)
	}
	c.versions = make(map[int16]kmsg.ApiVersionsResponseApiKey, len(av.ApiKeys))
	for _, k := range av.ApiKeys {
		c.versions[k.ApiKey] = k
	}
	return nil
}

// handshake runs the TLS client handshake over conn, bounded by ctx.
func (c *directClient) handshake(ctx context.Context, conn net.Conn) (net.Conn, error) {
	cfg := c.tls
	if cfg.ServerName == "" {
		host, _, err := net.SplitHostPort(c.addr)
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("tls to %s: %w", c.addr, err)
		}
		cfg = cfg.Clone()
		cfg.ServerName = host
	}
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("tls handshake with %s: %w", c.addr, err)
	}
	return tc, nil
}

// roundTrip writes req and reads its response on the calling goroutine,
// bounded by ctx's deadline and cancellation.
func (c *directClient) roundTrip(ctx context.Context, req kmsg.Request) (kmsg.Response, error) {
	deadline, _ := ctx.Deadline() // zero: no deadline
	if err := c.conn.SetDeadline(deadline); err != nil {
		return nil, err
	}
	conn := c.conn
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) }) // unblock the read
	defer stop()
	c.correlation++
	c.wbuf = c.formatter.AppendRequest(c.wbuf[:0], req, c.correlation)
	if _, err := c.conn.Write(c.wbuf); err != nil {
		return nil, ctxErr(ctx, err)
	}
	body, err := c.readFrame(req.Key())
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	return c.decode(req, body)
}

// readFrame reads one size-prefixed response into the API's buffer.
func (c *directClient) readFrame(key int16) ([]byte, error) {
	var prefix [4]byte
	if _, err := io.ReadFull(c.conn, prefix[:]); err != nil {
		return nil, fmt.Errorf("read response size: %w", err)
	}
	size := int32(binary.BigEndian.Uint32(prefix[:]))
	if size < 4 || size > maxResponseBytes {
		return nil, fmt.Errorf("response size %d out of range", size)
	}
	buf := c.bufs[key]
	if cap(buf) < int(size) || cap(buf) > maxKeptBuffer && cap(buf) > 2*int(size) {
		buf = make([]byte, size)
	}
	buf = buf[:size]
	c.bufs[key] = buf
	if _, err := io.ReadFull(c.conn, buf); err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	return buf, nil
}

// decode checks the response header and decodes the body. The records
// of a fetch response alias body.
func (c *directClient) decode(req kmsg.Request, body []byte) (kmsg.Response, error) {
	resp := req.ResponseKind()
	resp.SetVersion(req.GetVersion())
	r := kbin.Reader{Src: body}
	if id := r.Int32(); id != c.correlation {
		return nil, fmt.Errorf("response correlation id %d, want %d", id, c.correlation)
	}
	if resp.IsFlexible() && req.Key() != apiVersionsKey {
		kmsg.SkipTags(&r)
	}
	if !r.Ok() {
		return nil, errors.New("response header truncated")
	}
	if err := resp.ReadFrom(r.Src); err != nil {
		return nil, fmt.Errorf("decode %s v%d response: %w", kmsg.NameForKey(req.Key()), req.GetVersion(), err)
	}
	return resp, nil
}

// ctxErr names the context's end as the cause of an I/O error it forced.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	return err
}

// Close closes the connection; the next Request dials again.
func (c *directClient) Close() {
	if c.conn != nil {
		_ = c.conn.Close()
		c.conn = nil
	}
}
