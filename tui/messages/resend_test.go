package messages

import (
	"strings"
	"testing"
)

// TestResendAsksForTheRecord: R hands the record under the cursor, or the
// one open, to the TUI; without Resend it is refused and the help leaves
// it out.
func TestResendAsksForTheRecord(t *testing.T) {
	for _, resend := range []bool{true, false} {
		f := newFixture(t, fixtureOptions{})
		f.m.opts.Resend = resend
		f.produce(0, 0, orders(0, 3)...)
		f.start()
		f.held(3)
		f.keys("k") // offset 1
		for _, open := range []bool{false, true} {
			if open {
				f.keys("enter")
			}
			next, cmd := f.m.Update(keyMsg("R"))
			f.m = next
			var got ResendMsg
			if cmd != nil {
				got, _ = cmd().(ResendMsg)
			}
			switch {
			case resend && (got.Record.Offset != 1 || string(got.Record.Key) != "k-1"):
				t.Fatalf("open %v: R asked to resend %+v, want offset 1", open, got.Record)
			case !resend && (got.Record.Topic != "" || !strings.Contains(f.m.flash.text, "resending needs a producer")):
				t.Fatalf("R without Resend: %+v, flash %q", got, f.m.flash.text)
			}
		}
		f.keys("esc", "?")
		if help := f.m.View(); strings.Contains(help, "resend") != resend {
			t.Fatalf("help with Resend %v:\n%s", resend, help)
		}
	}
}
