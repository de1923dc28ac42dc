package server

import (
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/sasl"
)

// After authentication, a SASL connection's requests go through the
// pipeline; interceptSASL, on the handling goroutine, sees each one first:
//
//   - a request after the session expired closes the connection (KIP-368:
//     the client had to re-authenticate in time);
//   - a SaslHandshake while a session expiry is set (and not within a
//     second of the last one) begins a re-authentication, and the
//     SaslAuthenticate requests that follow are answered here;
//   - any other request during a re-authentication closes the connection;
//   - everything else goes to the Handler, which answers a stray
//     SaslHandshake or SaslAuthenticate with ILLEGAL_SASL_STATE.

// errSessionExpired closes a connection whose session ended.
var errSessionExpired = errors.New("SASL session expired before re-authentication")

// interceptSASL handles a request the SASL layer owns. handled=false
// passes it to the Handler. A pending with last set ends the connection
// once written (a failed re-authentication).
func (c *conn) interceptSASL(in inbound) (p *pending, reason closeReason, handled bool) {
	s := c.sasl
	now := time.Now()
	if !s.expires.IsZero() && !now.Before(s.expires) && s.state == saslComplete {
		c.srv.metrics.expiredSessions.Inc()
		c.log.Info("closing connection: SASL session expired", "principal", s.principal, "key", in.req.Key)
		return nil, closeReason{kind: reasonSessionExpired, err: errSessionExpired}, true
	}
	switch {
	case s.state == saslReauthenticate && in.req.Key == saslAuthenticateKey:
		return c.reauthToken(in, now), closeReason{}, true
	case s.state == saslReauthenticate:
		err := fmt.Errorf("Unexpected Kafka request of type %s during SASL re-authentication", kmsg.NameForKey(in.req.Key))
		return nil, closeReason{kind: reasonAuthentication, err: err}, true
	case in.req.Key == saslHandshakeKey && s.canReauthenticate(now, in.req.Version):
		return c.reauthHandshake(in, now), closeReason{}, true
	}
	return nil, closeReason{}, false
}

// canReauthenticate is Kafka's KafkaChannel.maybeBeginServerReauthentication:
// only a session that expires re-authenticates, at most once a second;
// kq also requires handshake v1+ (framed tokens), which every client that
// re-authenticates sends.
func (s *saslConn) canReauthenticate(now time.Time, version int16) bool {
	return !s.expires.IsZero() && version >= 1 && now.Sub(s.lastReauthStart) >= minReauthInterval
}

// reauthHandshake begins a re-authentication. A different mechanism than
// the session's is answered as the handshake would be, and fails at the
// next SaslAuthenticate, as in Kafka.
func (c *conn) reauthHandshake(in inbound, now time.Time) *pending {
	s := c.sasl
	req := in.req.Body.(*kmsg.SASLHandshakeRequest)
	resp := kmsg.NewPtrSASLHandshakeResponse()
	resp.SupportedMechanisms = s.listener.SASL.Offered()
	s.lastReauthStart, s.state, s.reauthenticating, s.reauthMechanism = now, saslReauthenticate, true, ""
	if !s.listener.SASL.Enabled(req.Mechanism) {
		resp.ErrorCode = kerr.UnsupportedSaslMechanism.Code
		c.srv.metrics.authentication(c.info.Listener, "", true, false)
		p := reply(in, resp)
		p.last = true
		p.resp.Ready = c.failureDelay()
		return p
	}
	if req.Mechanism != s.mechanism {
		s.reauthMechanism = req.Mechanism
		return reply(in, resp)
	}
	exchange, err := s.listener.SASL.NewServer(req.Mechanism)
	if err != nil { // enabled but not constructible: refuse at the next step
		s.reauthMechanism = req.Mechanism
		return reply(in, resp)
	}
	s.exchange = exchange
	return reply(in, resp)
}

// reauthToken runs one SaslAuthenticate of a re-authentication.
func (c *conn) reauthToken(in inbound, now time.Time) *pending {
	s := c.sasl
	req := in.req.Body.(*kmsg.SASLAuthenticateRequest)
	var resp *kmsg.SASLAuthenticateResponse
	var err error
	if s.reauthMechanism != "" {
		err = &sasl.Failure{Msg: fmt.Sprintf("SASL mechanism '%s' requested by client is not supported for re-authentication of mechanism '%s'",
			s.reauthMechanism, s.mechanism)}
		resp = kmsg.NewPtrSASLAuthenticateResponse()
		resp.ErrorCode, resp.ErrorMessage = kerr.SaslAuthenticationFailed.Code, &err.(*sasl.Failure).Msg
	} else {
		resp, err = s.step(req.SASLAuthBytes, now)
	}
	c.countStep(true, err)
	if err == nil && s.state == saslComplete {
		c.log.Debug("SASL re-authenticated", "principal", s.principal, "session_lifetime_ms", resp.SessionLifetimeMillis)
	}
	p := reply(in, resp)
	if err != nil {
		c.log.Info("SASL re-authentication failed", "mechanism", s.mechanism, "principal", s.principal,
			"reason", sasl.ClientMessage(err, s.mechanism, true))
		p.last = true
		p.resp.Ready = c.failureDelay()
	}
	return p
}

// failureDelay is a Ready that closes after connection.failed.authentication.delay.ms.
func (c *conn) failureDelay() <-chan struct{} {
	ready := make(chan struct{})
	time.AfterFunc(max(c.srv.cfg.FailedAuthenticationDelay, 0), func() { close(ready) })
	return ready
}
