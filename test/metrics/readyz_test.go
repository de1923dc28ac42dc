package metrics

import (
	"fmt"
	"strings"
)

// readyErr checks one /readyz answer: its status and a part of its body.
func readyErr(addr string, wantCode int, wantBody string) error {
	code, body, err := health(addr, "/readyz")
	if err != nil {
		return err
	}
	if code != wantCode || !strings.Contains(body, wantBody) {
		return fmt.Errorf("/readyz = %d %q, want %d containing %q", code, body, wantCode, wantBody)
	}
	return nil
}
