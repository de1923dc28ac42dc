// Package server is the broker's network layer: it accepts Kafka protocol
// connections, frames and decodes requests with franz-go's kmsg, hands each
// to a Handler, and writes the responses back in request order, sending the
// record bytes of Fetch responses straight from the log's files with
// sendfile(2).
//
// # API
//
//	s, err := server.New(server.Config{Listeners: ...}, handler)
//	err = s.Listen()           // bind now, to report bind errors early; Addrs() has the ports
//	go s.Serve(ctx)            // accept until ctx is done or Shutdown
//	err = s.Shutdown(ctx)      // drain: finish read requests, write responses, close
//
// A Handler reports the version range it serves per API key (Versions) and
// answers decoded requests (Handle). Kafka error codes are response data; a Go
// error from Handle means "close this connection".
//
// # Connections
//
// Each connection has three goroutines, each taking its input in order:
//
//	socket -> reader: frame, header, admit, decode
//	       -> inbox (at most MaxInFlightPerConn = 16 requests read, and
//	          QueuedMaxRequests over the whole broker, not yet handled)
//	       -> handler: Handler.Handle
//	       -> queue (at most MaxInFlightPerConn = 16 responses owed)
//	       -> writer: wait Ready, encode, splice file regions -> socket
//
// Handle runs on the handling goroutine, one request at a time, so requests
// of one connection take effect in order, while the reader already reads
// and decodes the next ones (a producer's next request arrives while its
// previous one is appended). A slow response (acks=all, a Fetch
// long-poll) sets Response.Ready; the writer waits for it before encoding Msg,
// and later responses wait behind it, since Kafka clients match responses by
// order. When 16 responses are owed and 16 requests wait, or the broker's
// queued.max.requests slots are taken, the reader stops reading and TCP
// pushes back on the client. A request gives its slot back when its Handle
// call begins, so requests in a Handler or waiting for acks never keep the
// follower fetches that complete them from being read. The writer coalesces small responses
// in a buffered writer flushed whenever nothing further is ready to write.
//
// A request's frame is its own until the Handler says otherwise
// (Response.FrameDone, which produce sets once its records are written);
// such frames are pooled by size class and read the next requests.
//
// # Kafka behaviour
//
//   - A size prefix below 0 or above MaxRequestSize (socket.request.max.bytes)
//     closes the connection, as do truncated frames, undecodable headers and
//     bodies, unknown API keys, and versions outside Handler.Versions (the
//     last two logged at info with the client id).
//   - ApiVersions of a version not served is answered, not closed: a v0
//     response with UNSUPPORTED_VERSION (35) and the full ApiKeys list, built
//     by the server from Handler.Versions, so clients can downgrade. The
//     Handler never sees such requests.
//   - Request header v1, plus tagged fields for flexible versions (v2); the
//     header tags are skipped. ControlledShutdown v0 uses header v0 (no
//     client id), as in Kafka.
//   - Response header v0, plus empty tagged fields for flexible versions,
//     except ApiVersions, which always uses v0.
//   - A connection with nothing read and nothing owed for IdleTimeout
//     (connections.max.idle.ms) is closed. At MaxConnections (max.connections)
//     accepting waits for a connection to close, as Kafka's acceptor does.
//   - A panic in the Handler (or in kmsg's decoder or encoder) is recovered,
//     logged with its stack, and closes that connection only.
//
// Every close carries a reason (see reason.go), logged at debug and counted
// in kq_server_connections_closed_total{reason}.
//
// # File regions
//
// Response.AttachFile registers a region of a log file and returns 16 random
// placeholder bytes that the handler puts in a Fetch partition's
// RecordBatches. After kmsg encodes the response, the writer finds each
// placeholder, checks the length prefix before it (int32 0x00000010, or the
// compact uvarint 0x11 in flexible versions), and writes: the bytes before,
// the region's real length prefix, the region with sendfile(2), the bytes
// after, under a recomputed frame size. Regions up to 8 KiB are instead read
// (pread) into the write buffer with the bytes around them: for a Fetch of
// many small partitions that is three times faster than a flush and a
// sendfile each. sendfile gets an explicit offset, so
// concurrent fetches of one file never share the file's offset; on
// connections without sendfile (net.Pipe, later TLS), and for files that are
// not an *os.File (the fault-injecting ones of tests), the region is copied
// with pread. A placeholder found where no bytes field can be is a handler
// bug: the regions are then read into memory, put in the fields that hold
// their placeholders (found by reflection) and the response encoded again, so
// the stream is never corrupted. A file shorter than its region closes the
// connection: padding would hand the client bytes that are not records.
//
// Response.Release (an addition to the original API) is called once the
// server is done with a response, written or dropped, so the log can keep
// segment files open while regions are in flight.
//
// # Shutdown
//
// Shutdown closes the listeners, makes every reader stop at its next request
// boundary (a past read deadline wakes it), cancels the ctx given to Handle
// so long polls answer at once, and waits for the writers to write every
// response already owed. If its ctx ends first, the connections
// are closed at once, cancelling the ctx given to Handle. Every goroutine is
// tracked by one WaitGroup, so Shutdown returns only when all have ended.
//
// # SASL listeners
//
// A Listener whose SecurityProtocol is SASL_PLAINTEXT or SASL_SSL runs
// Kafka's SaslServerAuthenticator before the pipeline starts
// (sasl_conn.go): ApiVersions, SaslHandshake v0-1, then the mechanism's
// tokens (SaslAuthenticate v0-2, or bare frames after a v0 handshake), one
// request at a time, with frames bounded by sasl.server.max.receive.size.
// Any other request closes the connection unanswered; failures are
// answered after Config.FailedAuthenticationDelay, then closed. Once
// authenticated, ConnInfo.Principal is "User:<name>" (AnonymousPrincipal
// elsewhere), and interceptSASL (sasl_reauth.go) handles KIP-368 on the
// handling goroutine: re-authentication in order with other requests, and
// closing a connection whose session expired at its next request. The
// mechanisms are daemon/internal/sasl's.
//
// # Known issue: forged tag counts
//
// kmsg (v1.15, and franz-go's main branch) decodes a tagged-field section by
// counting down the claimed number of tags even after the input ran out, a
// few nanoseconds per claimed tag: a 30-byte flexible request claiming 2^32
// tags costs about 17 s of CPU before it fails to decode (and closes the
// connection). The header's own tags are skipped safely here, but the body's
// tag sections sit where only kmsg's schema knows, so the server cannot
// reject such frames up front; it logs decodes slower than 100 ms. The fix
// belongs in kmsg: stop those loops once the reader is invalid.
//
// # Metrics
//
// With Config.Metrics set: kq_server_connections_accepted_total{listener},
// kq_server_connections_open, kq_server_connections_closed_total{reason},
// kq_server_requests_total{api}, kq_server_request_duration_seconds{api}
// (arrival to response written), kq_server_received_bytes_total,
// kq_server_sent_bytes_total, kq_server_sendfile_bytes_total,
// kq_server_authentications_total{listener,mechanism,kind,result} and
// kq_server_expired_sessions_closed_total. With Config.RequestTimes set,
// each request's API and time (and whether it is a replica's Fetch) go to
// it too, for Kafka's RequestMetrics (daemon/internal/metrics); the queue
// of read requests is QueuedRequests.
package server
