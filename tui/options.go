package tui

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/kqhq/kq/tui/messages"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/muesli/termenv"
)

// DefaultRefresh is how often the view polls the cluster.
const DefaultRefresh = 2 * time.Second

// MinRefresh keeps a mistyped --refresh from hammering the cluster.
const MinRefresh = 100 * time.Millisecond

// Options configure the TUI.
type Options struct {
	Context context.Context // ends the polling; Background when nil
	Source  snapshot.Source
	// Address names the cluster in the header until it answers
	// ("localhost:9092").
	Address string
	Refresh time.Duration // DefaultRefresh when 0
	// Timeout bounds one refresh; the larger of Refresh and 5s when 0.
	Timeout  time.Duration
	ReadOnly bool
	// NoColor draws without colour (NO_COLOR, a terminal without it).
	NoColor bool
	// Renderer draws the styles; tests set one. When nil, Run makes one
	// on its output, in plain text when NoColor is set.
	Renderer *lipgloss.Renderer
	Now      func() time.Time // time.Now when nil
	// Messages reads records for the Messages view; without it the view
	// says it cannot. CopyFile and Clipboard are where it copies a record
	// (see messages.Options).
	Messages  messages.Source
	CopyFile  string
	Clipboard io.Writer
	// Profiles are the clusters :ctx switches to; Profile names the one
	// started on ("" when none), shown in the header.
	Profiles Profiles
	Profile  string
	// Mouse selects rows with a click and scrolls with the wheel; off by
	// default, as it takes the terminal's own text selection away.
	Mouse bool
	// NewProducer makes the producer of the produce dialog, one for each
	// record sent; without it the TUI cannot produce.
	NewProducer func() (Producer, error)
}

// withDefaults fills the zero fields and checks the rest.
func (o Options) withDefaults() (Options, error) {
	if o.Source == nil {
		return o, fmt.Errorf("tui: no cluster source")
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.Refresh == 0 {
		o.Refresh = DefaultRefresh
	}
	if o.Refresh < MinRefresh {
		return o, fmt.Errorf("refresh interval %v is below the minimum %v", o.Refresh, MinRefresh)
	}
	if o.Timeout == 0 {
		o.Timeout = max(o.Refresh, 5*time.Second)
	}
	if o.Renderer == nil {
		o.Renderer = lipgloss.NewRenderer(os.Stdout)
	}
	if o.NoColor {
		o.Renderer.SetColorProfile(termenv.Ascii)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}
