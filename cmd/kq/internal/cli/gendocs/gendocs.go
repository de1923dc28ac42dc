// Package gendocs is the hidden `kq gendocs` command that writes the man
// pages and the shell completion scripts from the command tree, for
// `make generate` (into man/ and completions/) and for packaging. Its output
// depends only on the command tree (and SOURCE_DATE_EPOCH, if set), so CI
// can check that the committed files are current.
package gendocs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// CompletionFiles are the scripts written to --completion-dir, named as
// bash-completion, zsh ($fpath), fish and PowerShell expect.
var CompletionFiles = map[string]func(*cobra.Command, *bytes.Buffer) error{
	"kq.bash": func(c *cobra.Command, b *bytes.Buffer) error { return c.GenBashCompletionV2(b, true) },
	"_kq":     func(c *cobra.Command, b *bytes.Buffer) error { return c.GenZshCompletion(b) },
	"kq.fish": func(c *cobra.Command, b *bytes.Buffer) error { return c.GenFishCompletion(b, true) },
	"kq.ps1":  func(c *cobra.Command, b *bytes.Buffer) error { return c.GenPowerShellCompletionWithDesc(b) },
}

// NewCmdGenDocs returns the hidden `kq gendocs` command.
func NewCmdGenDocs(getenv func(string) string) *cobra.Command {
	var manDir, completionDir string
	cmd := &cobra.Command{
		Use:    "gendocs --man-dir DIR --completion-dir DIR",
		Short:  "Write man pages and shell completion scripts",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if manDir == "" && completionDir == "" {
				return clierr.Usagef("give --man-dir, --completion-dir or both")
			}
			root := cmd.Root()
			if manDir != "" {
				if err := WriteManPages(root, manDir, sourceDate(getenv)); err != nil {
					return err
				}
			}
			if completionDir != "" {
				return WriteCompletions(root, completionDir)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&manDir, "man-dir", "", "Directory for the section 1 man pages")
	cmd.Flags().StringVar(&completionDir, "completion-dir", "", "Directory for the bash, zsh, fish and PowerShell scripts")
	return cmd
}

// sourceDate is SOURCE_DATE_EPOCH (reproducible builds), or nil for none.
func sourceDate(getenv func(string) string) *time.Time {
	sec, err := strconv.ParseInt(getenv("SOURCE_DATE_EPOCH"), 10, 64)
	if err != nil {
		return nil
	}
	t := time.Unix(sec, 0).UTC()
	return &t
}

// WriteManPages writes one page per visible command, each with an EXIT
// STATUS section listing kq's exit codes. With a nil date the pages carry
// none, so regenerating them changes nothing.
func WriteManPages(root *cobra.Command, dir string, date *time.Time) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write man pages: %w", err)
	}
	return walk(root, func(cmd *cobra.Command) error {
		page, err := manPage(cmd, date)
		if err != nil {
			return err
		}
		name := strings.ReplaceAll(cmd.CommandPath(), " ", "-") + ".1"
		if err := os.WriteFile(filepath.Join(dir, name), page, 0o644); err != nil {
			return fmt.Errorf("write man page: %w", err)
		}
		return nil
	})
}

func walk(cmd *cobra.Command, fn func(*cobra.Command) error) error {
	if !cmd.IsAvailableCommand() && cmd.HasParent() || cmd.IsAdditionalHelpTopicCommand() {
		return nil
	}
	if err := fn(cmd); err != nil {
		return err
	}
	for _, sub := range cmd.Commands() {
		if err := walk(sub, fn); err != nil {
			return err
		}
	}
	return nil
}

var thLine = regexp.MustCompile(`(?m)^(\.TH "[^"]*" "1" )"[^"]*"`)

func manPage(cmd *cobra.Command, date *time.Time) ([]byte, error) {
	header := &doc.GenManHeader{Section: "1", Source: "kq", Manual: "kq manual", Date: date}
	if date == nil {
		epoch := time.Unix(0, 0)
		header.Date = &epoch // replaced below: cobra would otherwise use today
	}
	var buf bytes.Buffer
	if err := doc.GenMan(cmd, header, &buf); err != nil {
		return nil, fmt.Errorf("man page for %s: %w", cmd.CommandPath(), err)
	}
	page := buf.Bytes()
	if date == nil {
		page = thLine.ReplaceAll(page, []byte(`$1""`))
	}
	return insertExitStatus(page), nil
}

// insertExitStatus adds EXIT STATUS before SEE ALSO, where man-pages(7)
// puts it, or at the end.
func insertExitStatus(page []byte) []byte {
	var s strings.Builder
	s.WriteString(".SH EXIT STATUS\n")
	for _, e := range clierr.ExitStatus {
		fmt.Fprintf(&s, ".TP\n\\fB%d\\fP\n%s\n", e.Code, e.Text)
	}
	s.WriteString("\n")
	section := []byte(s.String())
	if i := bytes.Index(page, []byte(".SH SEE ALSO")); i >= 0 {
		return append(append(append([]byte{}, page[:i]...), section...), page[i:]...)
	}
	return append(page, section...)
}

// WriteCompletions writes the four completion scripts.
func WriteCompletions(root *cobra.Command, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write completions: %w", err)
	}
	for name, gen := range CompletionFiles {
		var buf bytes.Buffer
		if err := gen(root, &buf); err != nil {
			return fmt.Errorf("generate %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write completions: %w", err)
		}
	}
	return nil
}
