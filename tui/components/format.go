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

// Bytes renders a size in IEC units as people read disk sizes: "812 MiB",
// "4.1 GiB"; a negative size is unknown.
func Bytes(n int64) string {
	if n < 0 {
		return None
	}
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, exp := float64(n)/unit, 0
	for v >= unit && exp < 5 {
		v /= unit
		exp++
	}
	prefix := "KMGTPE"[exp : exp+1]
	if v < 10 {
		return fmt.Sprintf("%.1f %siB", v, prefix)
	}
	return fmt.Sprintf("%.0f %siB", v, prefix)
}

// sparks are the bar heights of a sparkline, lowest first.
const sparks = "▁▂▃▄▅▆▇█"

// Sparkline draws values as bars scaled between their smallest and largest,
// so a change shows whatever the size of the numbers; equal values draw a
// flat line of the lowest bar.
func Sparkline(values []int64) string {
	if len(values) == 0 {
		return ""
	}
	lo, hi := values[0], values[0]
	for _, v := range values {
		lo, hi = min(lo, v), max(hi, v)
	}
	bars := []rune(sparks)
	out := make([]rune, len(values))
	for i, v := range values {
		level := 0
		if hi > lo {
			level = int(math.Round(float64(v-lo) / float64(hi-lo) * float64(len(bars)-1)))
		}
		out[i] = bars[level]
	}
	return string(out)
}
