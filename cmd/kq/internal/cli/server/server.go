// Package server is the `kq server` command. This is a placeholder so the
// command tree builds; the broker's own command replaces it.
package server

import (
	"errors"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// NewCmdServer returns the `kq server` command.
func NewCmdServer(f *factory.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "server",
		Short: "Run a Kafka-compatible broker",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("kq server: not implemented yet")
		},
	}
}
