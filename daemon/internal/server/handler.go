package server

import "context"

// Handler serves decoded requests. It is the seam between the network layer
// and the broker: the server owns sockets, framing, ordering and backpressure;
// the Handler owns what requests mean.
type Handler interface {
	// Versions reports the version range the broker serves for an API key
	// (ok=false: unknown key). It is called for every request, so it must be
	// cheap, and it also feeds the server's answer to ApiVersions requests of
	// unsupported versions.
	Versions(key int16) (min, max int16, ok bool)
	// Handle is called once per request, serially per connection, in request
	// order (so e.g. appends of pipelined produce requests happen in order). It
	// must return promptly; slow completion (acks=all waits, fetch long-polls)
	// is expressed through Response.Ready. A non-nil error closes the
	// connection (Kafka error codes belong in the response instead). A nil
	// Response with a nil error sends nothing, like a nil Response.Msg.
	//
	// Ready must close eventually (within the request's own timeout): the
	// writer waits for it, and for everything queued behind it, even after
	// the client half-closed or a graceful Shutdown began. ctx is cancelled
	// when no further request will be read from the connection (the
	// client's clean EOF, a graceful Shutdown's drain): a wait that would
	// end only at its deadline (a long-poll fetch) should then answer at
	// once with what it has; that response is still written. ctx is also
	// cancelled when the connection is closed (a protocol error, a failed
	// write, a Shutdown out of time), and a pending Ready may then be
	// abandoned. A panic is recovered, logged with its stack, and closes
	// the connection.
	Handle(ctx context.Context, req *Request) (*Response, error)
}
