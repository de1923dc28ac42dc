// Package clierr holds the CLI's typed errors and the one mapping from an
// error to the process exit code. Commands return errors; only Code decides
// what the shell sees.
//
// Exit codes (documented in the man pages' EXIT STATUS section):
//
//	0    success
//	1    failure (anything not listed below)
//	2    usage error: unknown command or flag, missing or invalid argument,
//	     an unknown, refused or malformed client property
//	3    not found: the topic, partition, broker or profile does not exist
//	4    authentication or authorization failed: the TLS handshake, the SASL
//	     exchange or the credentials (the message says which), or an ACL
//	5    unreachable or timed out: no broker answered in time
//	130  interrupted (Ctrl-C, SIGTERM)
package clierr

import (
	"errors"
	"fmt"

	"github.com/kqhq/kq/admin"
)

// The exit codes; see the package comment.
const (
	CodeOK          = 0
	CodeFailure     = 1
	CodeUsage       = 2
	CodeNotFound    = 3
	CodeAuth        = 4
	CodeUnavailable = 5
	CodeInterrupted = 130
)

// ExitStatus describes each code for the man pages and --help.
var ExitStatus = []struct {
	Code int
	Text string
}{
	{CodeOK, "Success."},
	{CodeFailure, "Failure: the operation did not complete (Kafka error, bad input data, I/O error)."},
	{CodeUsage, "Usage error: unknown command or flag, missing or invalid argument, or an unknown, refused or malformed client property."},
	{CodeNotFound, "Not found: the topic, partition, broker or profile does not exist."},
	{CodeAuth, "Authentication or authorization failed: the TLS handshake (untrusted or wrong certificate, TLS missing on one side), the SASL exchange (mechanism not enabled, protocol mismatch) or the credentials; the message says which."},
	{CodeUnavailable, "No broker could be reached, or a request timed out."},
	{CodeInterrupted, "Interrupted by Ctrl-C (SIGINT) or SIGTERM."},
}

// UsageError is a mistake on the command line; it exits 2 and the caller
// points at --help.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usage marks err as a usage error; nil stays nil.
func Usage(err error) error {
	if err == nil {
		return nil
	}
	return &UsageError{Err: err}
}

// Usagef builds a usage error.
func Usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// ErrInterrupted is returned by a command that stopped because of Ctrl-C
// or SIGTERM after doing its own reporting.
var ErrInterrupted = errors.New("interrupted")

// ErrSilent says the command already reported the failure on stderr; it
// exits 1 without another message.
var ErrSilent = errors.New("failed")

// ExitError carries an explicit exit code.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// NotFoundf builds an error that exits CodeNotFound; its message is just
// the formatted text.
func NotFoundf(format string, args ...any) error {
	return &notFoundError{msg: fmt.Sprintf(format, args...)}
}

type notFoundError struct{ msg string }

func (e *notFoundError) Error() string { return e.msg }
func (e *notFoundError) Unwrap() error { return admin.ErrNotFound }

// Code maps err to the process exit code. This is the only place that does.
func Code(err error) int {
	if err == nil {
		return CodeOK
	}
	var exit *ExitError
	var usage *UsageError
	var badConfig *admin.ConfigError
	switch {
	case errors.As(err, &exit):
		return exit.Code
	case errors.Is(err, ErrInterrupted):
		return CodeInterrupted
	case errors.As(err, &usage), errors.As(err, &badConfig):
		return CodeUsage
	}
	switch admin.Classify(err) {
	case admin.ClassNotFound:
		return CodeNotFound
	case admin.ClassAuth:
		return CodeAuth
	case admin.ClassUnavailable:
		return CodeUnavailable
	}
	return CodeFailure
}
