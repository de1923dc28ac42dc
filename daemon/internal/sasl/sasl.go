package sasl

import (
	"errors"
	"fmt"
	"time"
)

// Mechanism names, as clients send them in SaslHandshake.
const (
	Plain       = "PLAIN"
	ScramSHA256 = "SCRAM-SHA-256"
	ScramSHA512 = "SCRAM-SHA-512"
	OAuthBearer = "OAUTHBEARER"
	GSSAPI      = "GSSAPI"
)

// Supported lists the mechanisms this package serves, in Kafka's order.
var Supported = []string{Plain, ScramSHA256, ScramSHA512, OAuthBearer}

// Server is one authentication exchange on one connection, fed the
// client's tokens in order (Kafka's SaslServer).
type Server interface {
	// Step consumes a client token and returns the server's answer; done
	// reports a completed, successful exchange. After an error the
	// exchange is over.
	Step(token []byte) (answer []byte, done bool, err error)
	// Principal is the authenticated user name, once done.
	Principal() string
	// Expiry is when the credential stops being valid (an OAUTHBEARER
	// token's exp), zero when it does not expire.
	Expiry() time.Time
}

// Failure is an authentication failure whose message is shown to the
// client (Kafka's SaslAuthenticationException). It never holds a secret.
type Failure struct{ Msg string }

func (f *Failure) Error() string { return f.Msg }

func failf(format string, args ...any) error { return &Failure{Msg: fmt.Sprintf(format, args...)} }

// ClientMessage is what a client is told about err from Step: a Failure's
// own message, else Kafka's generic one, which reveals nothing about the
// user or the cause. reauth selects Kafka's "re-authentication" wording.
func ClientMessage(err error, mechanism string, reauth bool) string {
	var f *Failure
	if errors.As(err, &f) {
		return f.Msg
	}
	phase := "authentication"
	if reauth {
		phase = "re-authentication"
	}
	return "Authentication failed during " + phase + " due to invalid credentials with SASL mechanism " + mechanism
}

// errState is a token arriving after the exchange ended.
var errState = errors.New("unexpected token after the SASL exchange ended")
