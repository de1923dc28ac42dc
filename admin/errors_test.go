package admin

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Class
	}{
		{"nil", nil, ClassOther},
		{"plain", errors.New("boom"), ClassOther},
		{"unknown topic", fmt.Errorf("describe: %w", kerr.UnknownTopicOrPartition), ClassNotFound},
		{"not found sentinel", fmt.Errorf("topic x: %w", ErrNotFound), ClassNotFound},
		{"with broker message", kafkaError(kerr.UnknownTopicOrPartition.Code, strPtr("no such topic")), ClassNotFound},
		{"sasl", kerr.SaslAuthenticationFailed, ClassAuth},
		{"acl", fmt.Errorf("x: %w", kerr.TopicAuthorizationFailed), ClassAuth},
		{"refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, ClassUnavailable},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), ClassUnavailable},
		{"request timed out", kerr.RequestTimedOut, ClassUnavailable},
		{"already exists", kerr.TopicAlreadyExists, ClassOther},
	}
	for _, tt := range tests {
		if got := Classify(tt.err); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestKafkaErrorKeepsMessageAndCode(t *testing.T) {
	err := kafkaError(kerr.TopicAlreadyExists.Code, strPtr("Topic 't' already exists."))
	if !errors.Is(err, kerr.TopicAlreadyExists) {
		t.Fatal("kerr value lost")
	}
	if got := err.Error(); got != "TOPIC_ALREADY_EXISTS: Topic with this name already exists. (Topic 't' already exists.)" {
		t.Fatalf("message %q", got)
	}
	if kafkaError(0, strPtr("ignored")) != nil {
		t.Fatal("code 0 must be nil")
	}
}

func strPtr(s string) *string { return &s }
