package handler

import (
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
)

// errorMessage returns the text for a response's error_message field: nil
// for success, the error's text otherwise.
func errorMessage(err error) *string {
	if err == nil {
		return nil
	}
	s := err.Error()
	return &s
}

// codedError is a Kafka error code with a message for the response's
// error_message field; errors.Is matches the code.
type codedError struct {
	code *kerr.Error
	msg  string
}

func (e *codedError) Error() string { return e.msg }
func (e *codedError) Unwrap() error { return e.code }

// kafkaErrorf returns an error carrying a Kafka error code and a message.
func kafkaErrorf(code *kerr.Error, format string, args ...any) error {
	return &codedError{code: code, msg: fmt.Sprintf(format, args...)}
}
