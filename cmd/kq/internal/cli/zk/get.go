package zk

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/kqhq/kq/store/meta"
)

// znode is what `kq zk get -o json|yaml` prints.
type znode struct {
	Path string   `json:"path"`
	Data any      `json:"data"`
	Stat statJSON `json:"stat"`
}

type statJSON struct {
	Version        int32  `json:"version"`
	Cversion       int32  `json:"cversion"`
	Ctime          string `json:"ctime"`
	Mtime          string `json:"mtime"`
	EphemeralOwner string `json:"ephemeral_owner"`
	DataLength     int32  `json:"data_length"`
	NumChildren    int32  `json:"num_children"`
}

func newCmdGet(f *factory.Factory, opts *Options) *cobra.Command {
	return &cobra.Command{
		Use:   "get PATH",
		Short: "Print a znode's data (and its stat on stderr)",
		Args:  cobra.ExactArgs(1),
		RunE: withStore(f, opts, func(cmd *cobra.Command, args []string, s meta.Store) error {
			data, stat, err := s.Get(cmd.Context(), args[0])
			if err != nil {
				return notFound(args[0], err)
			}
			z := znode{Path: args[0], Data: decodeData(data), Stat: toStat(stat)}
			if ok, err := output.Structured(f.IOStreams.Out, f.Output(), z); ok {
				return err
			}
			fmt.Fprintln(f.IOStreams.Out, string(data))
			fmt.Fprintf(f.IOStreams.ErrOut, "version=%d cversion=%d mtime=%s ephemeralOwner=%s numChildren=%d\n",
				z.Stat.Version, z.Stat.Cversion, z.Stat.Mtime, z.Stat.EphemeralOwner, z.Stat.NumChildren)
			return nil
		}),
	}
}

// decodeData keeps JSON znodes as JSON in structured output, and shows
// other text as a string.
func decodeData(data []byte) any {
	var v any
	if json.Unmarshal(data, &v) == nil {
		return v
	}
	if utf8.Valid(data) {
		return string(data)
	}
	return data
}

func toStat(s meta.Stat) statJSON {
	return statJSON{
		Version: s.Version, Cversion: s.Cversion,
		Ctime: time.UnixMilli(s.Ctime).UTC().Format(time.RFC3339Nano), Mtime: time.UnixMilli(s.Mtime).UTC().Format(time.RFC3339Nano),
		EphemeralOwner: fmt.Sprintf("0x%x", s.EphemeralOwner), DataLength: s.DataLength, NumChildren: s.NumChildren,
	}
}
