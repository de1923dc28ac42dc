package server

// reasonKind labels why a connection closed: a short, fixed vocabulary, used
// as a metric label and in the close log line.
type reasonKind string

const (
	reasonClientClosed    reasonKind = "client_closed"     // EOF between requests
	reasonReadError       reasonKind = "read_error"        // the socket read failed, e.g. a reset
	reasonIdle            reasonKind = "idle"              // connections.max.idle.ms passed
	reasonShutdown        reasonKind = "shutdown"          // drained by Shutdown
	reasonShutdownTimeout reasonKind = "shutdown_timeout"  // Shutdown's ctx ended first
	reasonRequestTooLarge reasonKind = "request_too_large" // size prefix < 0 or > socket.request.max.bytes
	reasonProtocolError   reasonKind = "protocol_error"    // truncated frame, bad header, undecodable body
	reasonUnsupported     reasonKind = "unsupported"       // unknown API key, or a version not served
	reasonHandlerError    reasonKind = "handler_error"     // Handle returned an error
	reasonHandlerPanic    reasonKind = "handler_panic"     // Handle panicked
	reasonResponseError   reasonKind = "response_error"    // response could not be encoded or its file read
	reasonWriteError      reasonKind = "write_error"       // the socket write failed
	reasonAlreadyClosed   reasonKind = "already_closed"    // closed elsewhere first; never counted
	reasonTLSHandshake    reasonKind = "tls_handshake"     // the TLS handshake failed: not TLS, untrusted certificate
	reasonAuthentication  reasonKind = "authentication"    // the peer's identity was refused: SASL failed, a request before it, no principal mapping rule
	reasonSessionExpired  reasonKind = "session_expired"   // a request after the SASL session expired (KIP-368)
)

// closeReason is why a connection closes, with the underlying error if any.
type closeReason struct {
	kind reasonKind
	err  error
}

// graceful reasons let the writer finish the responses already owed before
// the socket closes; the others close it at once, as Kafka does on protocol
// violations.
func (r closeReason) graceful() bool {
	return r.kind == reasonClientClosed || r.kind == reasonIdle || r.kind == reasonShutdown || r.kind == reasonAlreadyClosed ||
		r.kind == reasonAuthentication // its failure answer is written, then the connection closes
}
