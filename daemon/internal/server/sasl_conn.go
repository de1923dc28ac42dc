package server

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/sasl"
)

// SASL API keys, served here for SASL listeners (the Handler answers them
// on other listeners, and after authentication, with ILLEGAL_SASL_STATE).
const (
	saslHandshakeKey    = 17
	saslAuthenticateKey = 36
)

// DefaultSASLMaxReceiveSize is sasl.server.max.receive.size: the largest
// frame read before a connection has authenticated.
const DefaultSASLMaxReceiveSize = 524288

// isSASL reports a listener whose connections must authenticate with SASL.
func (l Listener) isSASL() bool {
	p := l.protocol()
	return p == ProtocolSASLPlaintext || p == ProtocolSASLSSL
}

// saslState is Kafka's SaslServerAuthenticator state.
type saslState int

const (
	saslHandshakeOrVersions saslState = iota // first request: ApiVersions or SaslHandshake
	saslHandshake                            // after ApiVersions: SaslHandshake
	saslAuthenticate                         // tokens of the chosen mechanism
	saslComplete                             // authenticated; requests go to the Handler
	saslReauthenticate                       // a re-authentication's tokens (KIP-368)
)

// minReauthInterval is Kafka's floor between two re-authentications: a
// SaslHandshake sooner goes to the Handler, which refuses it.
const minReauthInterval = time.Second

// saslConn is one connection's SASL state. Before authentication it is
// driven by authenticate on the connection's goroutine; afterwards by
// interceptSASL on the handling goroutine: one goroutine at a time.
type saslConn struct {
	listener Listener
	state    saslState
	// rawTokens: the handshake was v0, so tokens travel as bare
	// size-prefixed frames instead of SaslAuthenticate requests.
	rawTokens bool
	mechanism string
	exchange  sasl.Server
	principal string // "User:NAME" once authenticated
	// expires is when the session ends (connections.max.reauth.ms or the
	// credential's lifetime); zero: never.
	expires          time.Time
	lastReauthStart  time.Time
	reauthMechanism  string // a re-authentication asking for another mechanism
	reauthenticating bool
}

func newSASLConn(l Listener) *saslConn { return &saslConn{listener: l} }

// errSASLReceiveSize is a frame over sasl.server.max.receive.size.
var errSASLReceiveSize = errors.New("Failing SASL authentication due to invalid receive size")

// authenticate runs Kafka's SASL exchange before any other request is
// served: ApiVersions, SaslHandshake, then the mechanism's tokens, each
// answered before the next is read. Anything else closes the connection.
// ok means authenticated; the pipeline then starts.
func (c *conn) authenticate() (reason closeReason, ok bool) {
	for c.sasl.state != saslComplete {
		frame, err := c.readAuthFrame()
		if err != nil {
			if errors.Is(err, errSASLReceiveSize) {
				c.log.Info("closing connection: SASL frame too large", "err", err)
				return closeReason{kind: reasonAuthentication, err: err}, false
			}
			return c.readFailure(err), false
		}
		reason, ok = c.authStep(frame.b)
		c.srv.frames.put(frame)
		if !ok {
			return reason, false
		}
	}
	c.info.Principal = c.sasl.principal
	c.log.Debug("authenticated", "mechanism", c.sasl.mechanism, "principal", c.sasl.principal)
	return closeReason{}, true
}

// readAuthFrame reads a frame after checking its size against
// sasl.server.max.receive.size, before anything is allocated for it.
func (c *conn) readAuthFrame() (*frameBuf, error) {
	if err := c.armReadDeadline(); err != nil {
		return nil, err
	}
	prefix, err := c.br.Peek(4)
	if err != nil {
		if errors.Is(err, io.EOF) && len(prefix) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	if size := int32(binary.BigEndian.Uint32(prefix)); size < 0 || size > c.srv.cfg.SASLMaxReceiveSize {
		return nil, fmt.Errorf("%w: %d bytes, sasl.server.max.receive.size is %d", errSASLReceiveSize, size, c.srv.cfg.SASLMaxReceiveSize)
	}
	return c.readFrame()
}

// authStep handles one frame before authentication.
func (c *conn) authStep(frame []byte) (closeReason, bool) {
	if c.sasl.state == saslAuthenticate && c.sasl.rawTokens {
		return c.rawToken(frame)
	}
	hdr, _, err := parseHeader(frame)
	if err != nil {
		return closeReason{kind: reasonProtocolError, err: err}, false
	}
	if !c.sasl.allowedBeforeAuth(hdr.key) {
		err := fmt.Errorf("Unexpected Kafka request of type %s during SASL %s", kmsg.NameForKey(hdr.key), c.sasl.phase())
		c.log.Info("closing connection: request before SASL authentication", "client_id", hdr.clientID, "key", hdr.key, "err", err)
		return closeReason{kind: reasonAuthentication, err: err}, false
	}
	in, reason, ok := c.decode(frame)
	if !ok {
		return reason, false
	}
	if in.answer != nil { // an unsupported ApiVersions version: answered, state unchanged
		return c.writeNow(in.answer)
	}
	switch in.req.Key {
	case apiVersionsKey:
		return c.authApiVersions(in)
	case saslHandshakeKey:
		return c.authHandshake(in)
	}
	return c.authToken(in)
}

// allowedBeforeAuth is Kafka's check, made on the header alone so no other
// request body is ever decoded for an unauthenticated client.
func (s *saslConn) allowedBeforeAuth(key int16) bool {
	switch s.state {
	case saslHandshakeOrVersions:
		return key == apiVersionsKey || key == saslHandshakeKey
	case saslHandshake:
		return key == saslHandshakeKey
	}
	return key == saslAuthenticateKey
}

func (s *saslConn) phase() string {
	if s.state == saslAuthenticate {
		return "authentication"
	}
	return "handshake"
}

// authApiVersions answers ApiVersions with the Handler's full list, as
// Kafka does before authentication.
func (c *conn) authApiVersions(in inbound) (closeReason, bool) {
	resp, reason, ok := c.handle(in.req)
	if !ok {
		return reason, false
	}
	// As Kafka, only an answered (valid) ApiVersions moves on: a client
	// told INVALID_REQUEST may ask again.
	if av, isAV := resp.Msg.(*kmsg.ApiVersionsResponse); !isAV || av.ErrorCode == 0 {
		c.sasl.state = saslHandshake
	}
	return c.writeNow(&pending{key: in.req.Key, version: in.req.Version, correlation: in.req.CorrelationID, arrived: in.arrived, resp: resp})
}

// authHandshake answers SaslHandshake: the enabled mechanisms, and
// UNSUPPORTED_SASL_MECHANISM (then a delayed close) for any other.
func (c *conn) authHandshake(in inbound) (closeReason, bool) {
	req := in.req.Body.(*kmsg.SASLHandshakeRequest)
	resp := kmsg.NewPtrSASLHandshakeResponse()
	resp.SupportedMechanisms = c.sasl.listener.SASL.Offered()
	exchange, err := c.sasl.listener.SASL.NewServer(req.Mechanism)
	if err != nil {
		resp.ErrorCode = kerr.UnsupportedSaslMechanism.Code
		c.srv.metrics.authentication(c.info.Listener, "", false, false)
		return c.failAuth(in, resp, err)
	}
	c.sasl.state, c.sasl.mechanism, c.sasl.exchange = saslAuthenticate, req.Mechanism, exchange
	c.sasl.rawTokens = in.req.Version == 0
	return c.writeNow(reply(in, resp))
}

// authToken runs one SaslAuthenticate request through the mechanism.
func (c *conn) authToken(in inbound) (closeReason, bool) {
	req := in.req.Body.(*kmsg.SASLAuthenticateRequest)
	resp, err := c.sasl.step(req.SASLAuthBytes, time.Now())
	c.countStep(false, err)
	if err != nil {
		return c.failAuth(in, resp, err)
	}
	return c.writeNow(reply(in, resp))
}

// step feeds a token to the exchange and builds the SaslAuthenticate
// answer: the mechanism's token, and once done the session lifetime.
func (s *saslConn) step(token []byte, now time.Time) (*kmsg.SASLAuthenticateResponse, error) {
	resp := kmsg.NewPtrSASLAuthenticateResponse()
	out, done, err := s.exchange.Step(token)
	if err == nil && done {
		err = s.complete(now)
	}
	if err != nil {
		resp.ErrorCode = kerr.SaslAuthenticationFailed.Code
		msg := sasl.ClientMessage(err, s.mechanism, s.reauthenticating)
		resp.ErrorMessage = &msg
		return resp, err
	}
	resp.SASLAuthBytes = out
	if done {
		if !s.expires.IsZero() {
			resp.SessionLifetimeMillis = max(s.expires.Sub(now).Milliseconds(), 0)
		}
	}
	return resp, nil
}

// complete records a finished exchange: the principal (unchanged by a
// re-authentication) and when the session expires, the earlier of
// connections.max.reauth.ms and the credential's own expiry.
func (s *saslConn) complete(now time.Time) error {
	principal := "User:" + s.exchange.Principal()
	if s.reauthenticating && principal != s.principal {
		return &sasl.Failure{Msg: fmt.Sprintf("Cannot change principals during re-authentication from %s: %s", s.principal, principal)}
	}
	s.principal, s.state, s.reauthenticating = principal, saslComplete, false
	s.expires = time.Time{}
	if d := s.listener.SASL.SessionLimit(s.mechanism); d > 0 {
		s.expires = now.Add(d)
	}
	if exp := s.exchange.Expiry(); !exp.IsZero() && (s.expires.IsZero() || exp.Before(s.expires)) {
		s.expires = exp
	}
	return nil
}

// countStep counts an exchange that ended: failed, or completed.
func (c *conn) countStep(reauth bool, err error) {
	if err != nil || c.sasl.state == saslComplete {
		c.srv.metrics.authentication(c.info.Listener, c.sasl.mechanism, reauth, err == nil)
	}
}

// rawToken handles a token of a v0 handshake: a bare size-prefixed frame
// each way. A failure is not answered (v0 has no error field): the
// connection closes after the failed-authentication delay.
func (c *conn) rawToken(frame []byte) (closeReason, bool) {
	out, done, err := c.sasl.exchange.Step(frame)
	if err == nil && done {
		err = c.sasl.complete(time.Now())
	}
	c.countStep(false, err)
	if err != nil {
		c.delayFailure()
		c.log.Info("SASL authentication failed", "mechanism", c.sasl.mechanism, "reason", sasl.ClientMessage(err, c.sasl.mechanism, false))
		return closeReason{kind: reasonAuthentication, err: err}, false
	}
	var prefix [4]byte
	binary.BigEndian.PutUint32(prefix[:], uint32(len(out)))
	if _, err := c.bw.Write(append(prefix[:], out...)); err != nil {
		return closeReason{kind: reasonWriteError, err: err}, false
	}
	if r := c.flush(); r != nil {
		return *r, false
	}
	return closeReason{}, true
}

// failAuth writes a failure answer after connection.failed.authentication.delay.ms
// and closes the connection, as Kafka's delayed close does.
func (c *conn) failAuth(in inbound, msg kmsg.Response, err error) (closeReason, bool) {
	c.log.Info("SASL authentication failed", "mechanism", c.sasl.mechanism, "client_id", in.req.ClientID,
		"reason", sasl.ClientMessage(err, c.sasl.mechanism, false))
	// The cause may say more than the client is told (an unknown user);
	// it never holds a secret (see package sasl).
	c.log.Debug("SASL authentication failure cause", "cause", err)
	c.delayFailure()
	if r, ok := c.writeNow(reply(in, msg)); !ok {
		return r, false
	}
	return closeReason{kind: reasonAuthentication, err: err}, false
}

// delayFailure waits the failed-authentication delay, or until the
// connection is closed.
func (c *conn) delayFailure() {
	d := c.srv.cfg.FailedAuthenticationDelay
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.ctx.Done():
	}
}

// writeNow writes one response and flushes it; the pipeline is not running yet.
func (c *conn) writeNow(p *pending) (closeReason, bool) {
	c.inFlight.Add(1) // balanced by finish
	err := c.writeResponse(p)
	c.finish(p)
	if err == nil {
		err = c.flush()
	}
	if err != nil {
		return *err, false
	}
	return closeReason{}, true
}

// reply pairs a response with the request it answers.
func reply(in inbound, msg kmsg.Response) *pending {
	return &pending{key: in.req.Key, version: in.req.Version, correlation: in.req.CorrelationID, arrived: in.arrived,
		resp: &Response{Msg: msg}}
}
