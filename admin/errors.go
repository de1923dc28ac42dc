package admin

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"

	"github.com/twmb/franz-go/pkg/kerr"
)

// Class is the coarse kind of an error, the unit callers map to exit codes.
type Class int

const (
	// ClassOther is any failure not listed below.
	ClassOther Class = iota
	// ClassNotFound: a topic, partition, broker or group does not exist.
	ClassNotFound
	// ClassAuth: authentication failed or the principal is not authorized.
	ClassAuth
	// ClassUnavailable: no broker could be reached or a request timed out.
	ClassUnavailable
)

// ErrNotFound marks errors for resources that do not exist on the cluster,
// when no Kafka error code says so (a topic missing from a listing, a broker
// id not in the cluster). Match with errors.Is.
var ErrNotFound = errors.New("not found")

var notFoundCodes = []error{
	kerr.UnknownTopicOrPartition, kerr.UnknownTopicID, kerr.GroupIDNotFound,
	kerr.ResourceNotFound,
}

var authCodes = []error{
	kerr.SaslAuthenticationFailed, kerr.IllegalSaslState, kerr.UnsupportedSaslMechanism,
	kerr.TopicAuthorizationFailed, kerr.GroupAuthorizationFailed,
	kerr.ClusterAuthorizationFailed, kerr.TransactionalIDAuthorizationFailed,
	kerr.DelegationTokenAuthorizationFailed, kerr.DelegationTokenAuthDisabled,
}

var unavailableCodes = []error{
	kerr.RequestTimedOut, kerr.BrokerNotAvailable, kerr.NetworkException,
	kerr.LeaderNotAvailable, kerr.NotEnoughReplicas, kerr.NotEnoughReplicasAfterAppend,
}

// Classify sorts err into a Class. A nil error is ClassOther.
func Classify(err error) Class {
	switch {
	case err == nil:
		return ClassOther
	case errors.Is(err, ErrNotFound) || isAny(err, notFoundCodes):
		return ClassNotFound
	case isAny(err, authCodes) || ExplainSecurityFailure(err) != nil:
		return ClassAuth
	case isUnavailable(err):
		return ClassUnavailable
	}
	return ClassOther
}

func isAny(err error, targets []error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

func isUnavailable(err error) bool {
	if isAny(err, unavailableCodes) {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// kafkaError turns a response's error code and message into an error, or nil
// for code 0. The kerr value is wrapped so errors.Is still matches it.
func kafkaError(code int16, message *string) error {
	err := kerr.ErrorForCode(code)
	if err == nil {
		return nil
	}
	if message != nil && *message != "" {
		return &codeError{err: err, message: *message}
	}
	return err
}

// codeError is a Kafka error code with the broker's own explanation.
type codeError struct {
	err     error
	message string
}

func (e *codeError) Error() string { return e.err.Error() + " (" + e.message + ")" }
func (e *codeError) Unwrap() error { return e.err }
