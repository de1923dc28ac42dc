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
	// the client half-closed or a graceful Shutdown began. ctx is the
	// connection's: it is cancelled when the connection is closed (a protocol
	// error, a failed write, a Shutdown out of time), and a pending Ready may
	// then be abandoned. A client's clean EOF does not cancel it: responses
	// already owed are still written. A panic is recovered, logged with its
	// stack, and closes the connection.
	Handle(ctx context.Context, req *Request) (*Response, error)
}
