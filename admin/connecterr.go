package admin

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// SecurityStage is the step of connecting to a secured broker that failed.
type SecurityStage string

// The stages ExplainSecurityFailure tells apart.
const (
	StageTLS         SecurityStage = "TLS"
	StageSASL        SecurityStage = "SASL"
	StageCredentials SecurityStage = "credentials"
)

// SecurityFailure is a failed TLS handshake, SASL exchange or credential
// check, explained for people. Classify puts it in ClassAuth.
type SecurityFailure struct {
	Stage   SecurityStage
	Message string // what failed and what to check; never a secret
	Err     error
}

func (e *SecurityFailure) Error() string { return e.Message + ": " + e.Err.Error() }
func (e *SecurityFailure) Unwrap() error { return e.Err }

// ExplainSecurityFailure says whether err is a TLS, SASL or credentials
// failure, and which; nil when it is none of them.
func ExplainSecurityFailure(err error) *SecurityFailure {
	if err == nil {
		return nil
	}
	var already *SecurityFailure
	if errors.As(err, &already) {
		return already
	}
	if stage, msg := explainSASL(err); msg != "" {
		return &SecurityFailure{Stage: stage, Message: msg, Err: err}
	}
	if msg := explainTLS(err); msg != "" {
		return &SecurityFailure{Stage: StageTLS, Message: msg, Err: err}
	}
	return nil
}

func explainSASL(err error) (SecurityStage, string) {
	var firstEOF *kgo.ErrFirstReadEOF
	switch {
	case errors.Is(err, kerr.SaslAuthenticationFailed):
		return StageCredentials, "SASL authentication failed: the broker rejected the credentials (check the user and password or token in sasl.jaas.config, and sasl.mechanism)"
	case errors.Is(err, kerr.UnsupportedSaslMechanism):
		return StageSASL, "SASL failed: the broker does not enable this sasl.mechanism on the listener"
	case errors.Is(err, kerr.IllegalSaslState):
		return StageSASL, "SASL failed: the listener did not expect SASL (check security.protocol against the listener's protocol)"
	case errors.As(err, &firstEOF) && strings.Contains(firstEOF.Error(), "TLS"):
		return StageTLS, "the broker closed the connection at once: security.protocol probably does not match the listener (TLS missing or unexpected)"
	case errors.As(err, &firstEOF):
		return StageSASL, "the broker closed the connection at once: security.protocol probably does not match the listener (SASL missing?)"
	}
	return "", ""
}

func explainTLS(err error) string {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verify    *tls.CertificateVerificationError
		recordHdr tls.RecordHeaderError
		opErr     *net.OpError
	)
	switch {
	case errors.As(err, &unknownCA):
		return "TLS handshake failed: the broker's certificate is not signed by a trusted CA (set ssl.truststore.location to the CA that signed it)"
	case errors.As(err, &hostname):
		return fmt.Sprintf("TLS handshake failed: the broker's certificate is not valid for %s (its names must include the address dialled; ssl.endpoint.identification.algorithm= skips this check)", hostname.Host)
	case errors.As(err, &invalid):
		return "TLS handshake failed: the broker's certificate is not valid (expired, not yet valid, or not for servers)"
	case errors.As(err, &verify):
		return "TLS handshake failed: the broker's certificate could not be verified"
	case errors.As(err, &recordHdr):
		return "TLS handshake failed: the broker did not answer in TLS (is the listener PLAINTEXT or SASL_PLAINTEXT? check security.protocol)"
	case errors.As(err, &opErr) && opErr.Op == "remote error":
		return "TLS handshake failed: the broker refused it (it may require a client certificate, ssl.keystore.location, or not trust the one sent)"
	}
	return ""
}
