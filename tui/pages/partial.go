package pages

import (
	"fmt"

	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

// PartialGlyph marks a topic total that leaves out partitions whose
// offsets could not be read (no leader, a failed request): the total is
// at least that.
const PartialGlyph = "≥"

// partialMessages is a topic's MESSAGES: the sum over the partitions that
// answered, marked partial when some did not, unknown when none did.
func partialMessages(t snapshot.Topic, st styles.Styles) components.Cell {
	n, unknown := t.KnownMessages()
	switch {
	case unknown > 0 && unknown == len(t.Partitions):
		return components.Text(components.None, st.Faint)
	case unknown > 0:
		return components.Text(PartialGlyph+components.Count(n), st.Warn)
	}
	return number(n, st)
}

// partialRate is a topic's IN msg/s, marked partial when some of its
// partitions have no rate (their high watermark unread).
func partialRate(t snapshot.Topic, st styles.Styles) components.Cell {
	text := components.Rate(t.Rate, t.RateKnown)
	if t.RateKnown && t.RateMissing > 0 {
		return components.Text(PartialGlyph+text, st.Warn)
	}
	return plain(text, st)
}

// partialSpans are the detail line's note that the topic's totals leave
// partitions out, naming how many.
func partialSpans(t snapshot.Topic, st styles.Styles) []components.Span {
	_, unknown := t.KnownMessages()
	if unknown == 0 || t.Err != nil {
		return nil
	}
	text := " · offsets unknown"
	if unknown < len(t.Partitions) {
		text = fmt.Sprintf(" · offsets unknown on %d of %d partitions (totals %s)", unknown, len(t.Partitions), PartialGlyph)
	}
	return []components.Span{{Text: text, Style: st.Warn}}
}
