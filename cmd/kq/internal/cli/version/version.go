// Package version is the `kq version` command.
package version

import (
	"fmt"
	"runtime"

	"github.com/kqhq/kq/cmd/kq/internal/build"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// Info is what `kq version -o json` prints.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
}

// Current is the running binary's version information.
func Current() Info {
	return Info{
		Version: build.Version, Commit: build.Commit, Date: build.Date,
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
	}
}

// Line is the one-line form, also used by `kq --version`.
func (i Info) Line() string {
	return fmt.Sprintf("kq %s (commit %s, built %s, %s, %s)", i.Version, i.Commit, i.Date, i.GoVersion, i.Platform)
}

// NewCmdVersion returns `kq version`.
func NewCmdVersion(f *factory.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print kq's version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			info := Current()
			out := f.IOStreams.Out
			if done, err := output.Structured(out, f.Output(), info); done {
				return err
			}
			_, err := fmt.Fprintln(out, info.Line())
			return err
		},
	}
}
