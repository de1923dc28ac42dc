package clierr

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

func TestCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"plain", errors.New("x"), 1},
		{"usage", Usagef("bad flag"), 2},
		{"wrapped usage", fmt.Errorf("ctx: %w", Usagef("bad")), 2},
		{"not found", NotFoundf("topic %q", "t"), 3},
		{"unknown topic code", fmt.Errorf("x: %w", kerr.UnknownTopicOrPartition), 3},
		{"auth", kerr.SaslAuthenticationFailed, 4},
		{"untrusted broker certificate", fmt.Errorf("dial: %w", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), 4},
		{"explained security failure", &admin.SecurityFailure{Stage: admin.StageCredentials, Err: io.EOF}, 4},
		{"bad client property", &admin.ConfigError{Err: &admin.PropertyError{Key: "acks", Err: errors.New("want 0, 1 or all")}}, 2},
		{"timeout", context.DeadlineExceeded, 5},
		{"interrupted", fmt.Errorf("consume: %w", ErrInterrupted), 130},
		{"explicit", &ExitError{Code: 7, Err: errors.New("x")}, 7},
		{"silent", ErrSilent, 1},
	}
	for _, tt := range tests {
		if got := Code(tt.err); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
}
