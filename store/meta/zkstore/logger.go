package zkstore

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// zkLogger routes go-zookeeper's Printf logging to slog. go-zookeeper has
// no levels, so routine connection chatter goes to Debug and messages
// about failures to Warn.
type zkLogger struct{ log *slog.Logger }

func (l zkLogger) Printf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	level := slog.LevelDebug
	lower := strings.ToLower(msg)
	if strings.Contains(lower, "fail") || strings.Contains(lower, "gave up") || strings.Contains(lower, "error") {
		level = slog.LevelWarn
	}
	l.log.Log(context.Background(), level, msg, "component", "zookeeper-client")
}
