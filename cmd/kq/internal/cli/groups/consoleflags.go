package groups

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// consoleFlags are kafka-consumer-groups' options beyond the actions and
// their targets: --offsets, --timeout, --type and --export.
type consoleFlags struct {
	offsets, export bool
	timeoutMs       int64
	types           string
}

// groupTypes are the group types Kafka 3.9 lists; kq's groups are all
// classic (the KIP-848 consumer protocol needs KRaft).
var groupTypes = []string{"classic", "consumer"}

const kqGroupType = "Classic"

func (c *consoleFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&c.offsets, "offsets", false, "With --describe: each partition's offsets and lag (the default view)")
	fl.Int64Var(&c.timeoutMs, "timeout", 0, "How long each request to the cluster may take, in `ms` (default.api.timeout.ms; default 30000)")
	fl.StringVar(&c.types, "type", "", "With --list: a TYPE column, or only groups of these `types` (classic, consumer)")
	fl.Lookup("type").NoOptDefVal = stateAll
	fl.BoolVar(&c.export, "export", false, "With --reset-offsets: print the new offsets as CSV, as --from-file reads them")
}

// apply checks the options against the action and applies --timeout to
// every request of the run.
func (c *consoleFlags) apply(cmd *cobra.Command, f *factory.Factory, k *kafkaFlags) error {
	if c.offsets && (k.members || k.state != "") {
		return usagef("use only one of --offsets, --members and --state")
	}
	if !cmd.Flags().Changed("timeout") {
		return nil
	}
	if c.timeoutMs <= 0 {
		return usagef("--timeout must be positive, got %d", c.timeoutMs)
	}
	f.UseClient(factory.ClientUse{Command: cmd.CommandPath(),
		Properties: map[string]string{"default.api.timeout.ms": strconv.FormatInt(c.timeoutMs, 10)}})
	return nil
}

// listTypes turns --type into the types to keep (nil: every type).
func (c *consoleFlags) listTypes() ([]string, error) {
	if c.types == "" || c.types == stateAll {
		return nil, nil
	}
	var out []string
	for _, t := range splitList(c.types) {
		if !slices.Contains(groupTypes, strings.ToLower(t)) {
			return nil, usagef("--type %s: unknown group type (known: %s)", t, strings.Join(groupTypes, ", "))
		}
		out = append(out, strings.ToLower(t))
	}
	return out, nil
}

// keepTypes leaves the groups of the given types: every kq group is classic.
func keepTypes(groups []admin.GroupListing, types []string) []admin.GroupListing {
	if types == nil || slices.Contains(types, strings.ToLower(kqGroupType)) {
		return groups
	}
	return []admin.GroupListing{}
}

// printCSV is --export: kafka-consumer-groups' CSV, topic,partition,offset
// for one group, group,topic,partition,offset for several.
func printCSV(w io.Writer, plan []NewOffset) {
	groups := map[string]bool{}
	for _, n := range plan {
		groups[n.Group] = true
	}
	for _, n := range plan {
		if len(groups) > 1 {
			fmt.Fprintf(w, "%s,", n.Group)
		}
		fmt.Fprintf(w, "%s,%d,%d\n", n.Topic, n.Partition, n.Offset)
	}
}

// printTyped is --list --type (and --state): GROUP, TYPE and STATE
// columns, as Kafka prints them.
func printTyped(w io.Writer, groups []admin.GroupListing, state bool) {
	gw := width(15, len(groups), func(i int) string { return groups[i].Group })
	if !state {
		fmt.Fprintf(w, "%-*s %s\n", gw, "GROUP", "TYPE")
		for _, g := range groups {
			fmt.Fprintf(w, "%-*s %s\n", gw, g.Group, kqGroupType)
		}
		return
	}
	fmt.Fprintf(w, "%-*s %-10s %s\n", gw, "GROUP", "TYPE", "STATE")
	for _, g := range groups {
		fmt.Fprintf(w, "%-*s %-10s %s\n", gw, g.Group, kqGroupType, g.State)
	}
}
