package components

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// None is shown where a value is unknown.
const None = "—"

// Count renders n with thousands separators; a negative n is unknown.
func Count(n int64) string {
	if n < 0 {
		return None
	}
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// Rate renders a per-second rate: one decimal below 10, whole numbers with
// separators above.
func Rate(r float64, known bool) string {
	switch {
	case !known:
		return None
	case r > 0 && r < 10:
		return strconv.FormatFloat(r, 'f', 1, 64)
	}
	return Count(int64(math.Round(r)))
}

// IDs renders broker ids as Kafka's tools do: 1,2,3.
func IDs(ids []int32) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(int(id))
	}
	return strings.Join(parts, ",")
}

// Age renders a duration coarsely, for "refreshed 3s ago".
func Age(d time.Duration) string {
	switch {
	case d < time.Second:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
