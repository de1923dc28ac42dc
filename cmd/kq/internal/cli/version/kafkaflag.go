package version

import (
	"fmt"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// AddKafkaFlag gives cmd the --version every Kafka script takes
// (CommandDefaultOptions): it prints kq's version line, as `kq version`
// does, and exits 0 without running the command. Kafka prints its own
// release; kq has none to print, so it says which kq this is.
func AddKafkaFlag(cmd *cobra.Command, f *factory.Factory) {
	cmd.Flags().Bool("version", false, "Print kq's version (as 'kq version') and exit")
	run := cmd.RunE
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if on, _ := c.Flags().GetBool("version"); on {
			_, err := fmt.Fprintln(f.IOStreams.Out, Current().Line())
			return err
		}
		return run(c, args)
	}
}
