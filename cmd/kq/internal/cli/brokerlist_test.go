package cli

import (
	"bytes"
	"testing"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
)

// TestBrokerListIsBootstrapOnlyWhereMarked: the console producer's
// --broker-list is --bootstrap-server; reassign's and log-dirs' are broker
// ids and must not become the address dialled.
func TestBrokerListIsBootstrapOnlyWhereMarked(t *testing.T) {
	for _, marked := range []bool{true, false} {
		cmd := &cobra.Command{Use: "x"}
		cmd.Flags().String("bootstrap-server", "", "")
		cmd.Flags().String("broker-list", "", "")
		if marked {
			_ = cmd.Flags().SetAnnotation("broker-list", factory.BootstrapAlias, []string{"true"})
		}
		if err := cmd.Flags().Parse([]string{"--broker-list", "1,2"}); err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		applyBrokerList(cmd, &stderr)
		got, _ := cmd.Flags().GetString("bootstrap-server")
		if want := map[bool]string{true: "1,2", false: ""}[marked]; got != want {
			t.Errorf("marked %v: bootstrap %q, want %q (stderr %q)", marked, got, want, stderr.String())
		}
	}
}
