// Package iostreams gives commands their standard streams together with
// what they are connected to (terminal or pipe), which decides colour,
// progress output and prompts. Tests use Test, which records everything.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// IOStreams are a command's stdin, stdout and stderr. Data goes to Out;
// diagnostics and progress go to ErrOut.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	colorAllowed                   bool // by the environment: NO_COLOR, TERM=dumb
	colorDisabled                  bool // by --no-color
}

// System returns the process's streams, reading the environment with
// getenv for NO_COLOR and TERM.
func System(getenv func(string) string) *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY:     isTerminal(os.Stdin),
		stdoutTTY:    isTerminal(os.Stdout),
		stderrTTY:    isTerminal(os.Stderr),
		colorAllowed: envAllowsColor(getenv),
	}
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// envAllowsColor follows https://no-color.org and TERM=dumb.
func envAllowsColor(getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// Test returns streams backed by buffers, none of them a terminal.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, colorAllowed: true}, in, out, errOut
}

// SetTTY pretends, for tests, that the streams are terminals or not.
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
}

// IsStdinTTY reports whether stdin is a terminal (someone is typing).
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal, where progress lines
// may be redrawn.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// DisableColor turns colour off (--no-color).
func (s *IOStreams) DisableColor() { s.colorDisabled = true }

// ColorEnabled reports whether stdout may carry colour: a terminal, no
// NO_COLOR, TERM not dumb, and no --no-color.
func (s *IOStreams) ColorEnabled() bool {
	return s.stdoutTTY && s.colorAllowed && !s.colorDisabled
}

// ColorScheme returns the styles for stdout, plain when colour is off.
func (s *IOStreams) ColorScheme() ColorScheme { return ColorScheme{enabled: s.ColorEnabled()} }

// ColorScheme wraps text in ANSI styles when enabled.
type ColorScheme struct{ enabled bool }

func (c ColorScheme) wrap(code, text string) string {
	if !c.enabled || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

// Bold is for table headers.
func (c ColorScheme) Bold(text string) string { return c.wrap("1", text) }

// Red is for problems: offline partitions, missing replicas.
func (c ColorScheme) Red(text string) string { return c.wrap("31", text) }

// Yellow is for warnings: under-replicated partitions.
func (c ColorScheme) Yellow(text string) string { return c.wrap("33", text) }

// Faint is for secondary details.
func (c ColorScheme) Faint(text string) string { return c.wrap("2", text) }
