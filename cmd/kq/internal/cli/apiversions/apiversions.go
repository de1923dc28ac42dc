// Package apiversions is `kq broker-api-versions`: Kafka's
// kafka-broker-api-versions.sh, the API versions each broker serves and
// the one kq's client would use.
package apiversions

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

const long = `Print the API versions every live broker serves, as
kafka-broker-api-versions.sh does: one block per broker,

  host:port (id: 1 rack: null) -> (
  	Produce(0): 0 to 11 [usable: 11],
  	...
  )

"usable" is the version kq's client (franz-go) would use: the highest both
sides know. APIs a broker does not serve show as UNSUPPORTED.`

// Options are the inputs of `kq broker-api-versions`.
type Options struct {
	IO     *iostreams.IOStreams
	Admin  func() (versionsAdmin, error)
	Output output.Format
}

// versionsAdmin is what the command asks the cluster (*admin.Client).
type versionsAdmin interface {
	BrokerAPIVersions(ctx context.Context) ([]admin.BrokerVersions, error)
}

// NewCmdBrokerAPIVersions returns `kq broker-api-versions`; runF replaces
// the run in tests.
func NewCmdBrokerAPIVersions(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	return &cobra.Command{
		Use:     "broker-api-versions",
		Short:   "Print the API versions each broker serves (kafka-broker-api-versions.sh)",
		Long:    long,
		Example: "  kq broker-api-versions -b localhost:9092\n  kq broker-api-versions -o json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := &Options{IO: f.IOStreams, Output: f.Output(), Admin: func() (versionsAdmin, error) { return adminOf[versionsAdmin](f) }}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
}

// adminOf returns the factory's admin client as the interface a command
// needs.
func adminOf[T any](f *factory.Factory) (T, error) {
	var zero T
	a, err := f.Admin()
	if err != nil {
		return zero, err
	}
	t, ok := a.(T)
	if !ok {
		return zero, fmt.Errorf("this cluster client cannot ask brokers for their API versions")
	}
	return t, nil
}

// apiOut is one API as -o json|yaml prints it.
type apiOut struct {
	Key    int16  `json:"api_key"`
	Name   string `json:"name"`
	Min    int16  `json:"min_version"`
	Max    int16  `json:"max_version"`
	Usable *int16 `json:"usable_version"` // null: unusable or unknown to the client
}

type brokerOut struct {
	ID    int32    `json:"id"`
	Host  string   `json:"host"`
	Port  int32    `json:"port"`
	Rack  *string  `json:"rack"`
	APIs  []apiOut `json:"api_versions,omitempty"`
	Error string   `json:"error,omitempty"`
}

func run(ctx context.Context, opts *Options) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	brokers, err := a.BrokerAPIVersions(ctx)
	if err != nil {
		return err
	}
	if opts.Output != output.Table {
		_, err := output.Structured(opts.IO.Out, opts.Output, structured(brokers))
		return err
	}
	for _, b := range brokers {
		if b.Err != nil {
			fmt.Fprintf(opts.IO.Out, "%s -> ERROR: %v\n", node(b.Broker), b.Err)
			continue
		}
		fmt.Fprintf(opts.IO.Out, "%s -> %s\n", node(b.Broker), versionsText(b.APIs))
	}
	return nil
}

// node is Kafka's Node.toString.
func node(b admin.Broker) string {
	rack := "null"
	if b.Rack != "" {
		rack = b.Rack
	}
	return fmt.Sprintf("%s:%d (id: %d rack: %s)", b.Host, b.Port, b.ID, rack)
}

// versionsText is NodeApiVersions.toString(true): every API the broker
// lists and every client API it does not, by key.
func versionsText(apis []admin.APIVersions) string {
	lines := map[int16]string{}
	for _, a := range apis {
		lines[a.Key] = apiText(a)
	}
	for _, k := range clientAPIs {
		if _, ok := lines[k]; !ok {
			lines[k] = fmt.Sprintf("%s(%d): UNSUPPORTED", apiNames[k], k)
		}
	}
	keys := make([]int, 0, len(lines))
	for k := range lines {
		keys = append(keys, int(k))
	}
	sort.Ints(keys)
	texts := make([]string, len(keys))
	for i, k := range keys {
		texts[i] = lines[int16(k)]
	}
	return "(\n\t" + strings.Join(texts, ",\n\t") + "\n)"
}

func apiText(a admin.APIVersions) string {
	name, known := apiNames[a.Key]
	if !known {
		name = "UNKNOWN"
	}
	text := fmt.Sprintf("%s(%d): %d", name, a.Key, a.Min)
	if a.Min != a.Max {
		text += " to " + strconv.Itoa(int(a.Max))
	}
	if !known {
		return text
	}
	switch usable, state := usableVersion(a); state {
	case "":
		text += fmt.Sprintf(" [usable: %d]", usable)
	default:
		text += " [unusable: " + state + "]"
	}
	return text
}

// usableVersion is the highest version both the broker and kq's client
// know; state says why there is none ("node too new", "node too old").
// An API the client never sends is usable at the broker's highest, as a
// Kafka client knows every API.
func usableVersion(a admin.APIVersions) (int16, string) {
	clientMax, ok := admin.ClientMaxVersion(a.Key)
	if !ok {
		return a.Max, ""
	}
	if clientMax < a.Min {
		return 0, "node too new"
	}
	return min(clientMax, a.Max), ""
}

func structured(brokers []admin.BrokerVersions) []brokerOut {
	out := make([]brokerOut, 0, len(brokers))
	for _, b := range brokers {
		bo := brokerOut{ID: b.Broker.ID, Host: b.Broker.Host, Port: b.Broker.Port}
		if b.Broker.Rack != "" {
			bo.Rack = &b.Broker.Rack
		}
		if b.Err != nil {
			bo.Error = b.Err.Error()
		}
		for _, a := range b.APIs {
			ao := apiOut{Key: a.Key, Name: apiNames[a.Key], Min: a.Min, Max: a.Max}
			if ao.Name == "" {
				ao.Name = "UNKNOWN"
			}
			if u, state := usableVersion(a); state == "" {
				ao.Usable = &u
			}
			bo.APIs = append(bo.APIs, ao)
		}
		out = append(out, bo)
	}
	return out
}
