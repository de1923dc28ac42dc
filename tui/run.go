package tui

import (
	"errors"
	"fmt"
	"github.com/charmbracelet/lipgloss"
	"io"

	tea "github.com/charmbracelet/bubbletea"
)

// Run shows the TUI on the terminal behind in and out until the user quits
// or opts.Context ends. Cluster failures never end it; only a broken
// terminal does.
func Run(opts Options, in io.Reader, out io.Writer) error {
	if opts.Renderer == nil {
		opts.Renderer = lipgloss.NewRenderer(out)
	}
	m, err := New(opts)
	if err != nil {
		return err
	}
	progOpts := []tea.ProgramOption{tea.WithContext(m.opts.Context), tea.WithInput(in), tea.WithOutput(out), tea.WithAltScreen()}
	if m.opts.Mouse {
		progOpts = append(progOpts, tea.WithMouseCellMotion())
	}
	p := tea.NewProgram(m, progOpts...)
	final, err := p.Run()
	if fm, ok := final.(Model); ok && fm.closeCluster != nil {
		fm.closeCluster() // a cluster :ctx opened; the first is the caller's
	}
	if errors.Is(err, tea.ErrProgramKilled) && m.opts.Context.Err() != nil {
		return m.opts.Context.Err()
	}
	if err != nil {
		return fmt.Errorf("tui: %w", err)
	}
	return nil
}
