// Package deleterecords is `kq delete-records`: Kafka's
// kafka-delete-records.sh, deleting the records of partitions below the
// offsets a JSON file gives.
package deleterecords

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

const long = `Delete the records of partitions below the given offsets, as
kafka-delete-records.sh does: each partition's log start offset (its low
watermark) moves up to the offset, and consumers can no longer read what is
below. An offset of -1 deletes up to the high watermark.

The file has Kafka's format:

  {"partitions": [{"topic": "foo", "partition": 1, "offset": 1}], "version": 1}

Each partition's new low watermark, or its error, is printed as Kafka prints
it. The exit status is 1 when a partition failed (Kafka exits 0).`

// Options are the inputs of `kq delete-records`.
type Options struct {
	IO     *iostreams.IOStreams
	Admin  func() (deleteAdmin, error)
	Output output.Format

	Offsets map[string]map[int32]int64
}

// deleteAdmin is what the command asks the cluster (*admin.Client).
type deleteAdmin interface {
	DeleteRecordsBefore(ctx context.Context, offsets map[string]map[int32]int64) ([]admin.DeletedRecords, error)
}

// NewCmdDeleteRecords returns `kq delete-records`; runF replaces the run
// in tests.
func NewCmdDeleteRecords(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:     "delete-records --offset-json-file FILE",
		Short:   "Delete records below offsets (kafka-delete-records.sh)",
		Long:    long,
		Example: "  echo '{\"partitions\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":100}],\"version\":1}' > del.json\n  kq delete-records --offset-json-file del.json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			offsets, err := readOffsetFile(file)
			if err != nil {
				return err
			}
			opts := &Options{IO: f.IOStreams, Output: f.Output(), Offsets: offsets,
				Admin: func() (deleteAdmin, error) { return adminOf(f) }}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&file, "offset-json-file", "", "REQUIRED: the JSON `file` with the offset per partition")
	_ = cmd.MarkFlagFilename("offset-json-file", "json")
	return cmd
}

func readOffsetFile(path string) (map[string]map[int32]int64, error) {
	if path == "" {
		return nil, clierr.Usagef("missing required argument \"[offset-json-file]\"")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--offset-json-file: %w", err)
	}
	offsets, err := parseOffsetFile(data)
	if err != nil {
		return nil, clierr.Usage(fmt.Errorf("--offset-json-file %s: %w", path, err))
	}
	return offsets, nil
}

func adminOf(f *factory.Factory) (deleteAdmin, error) {
	a, err := f.Admin()
	if err != nil {
		return nil, err
	}
	d, ok := a.(deleteAdmin)
	if !ok {
		return nil, fmt.Errorf("this cluster client cannot delete records")
	}
	return d, nil
}

// result is one partition's outcome as -o json|yaml prints it.
type result struct {
	Partition    string `json:"partition"`
	LowWatermark *int64 `json:"low_watermark,omitempty"`
	Error        string `json:"error,omitempty"`
}

func run(ctx context.Context, opts *Options) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	structured := opts.Output != output.Table
	if !structured {
		fmt.Fprintln(opts.IO.Out, "Executing records delete operation")
	}
	deleted, err := a.DeleteRecordsBefore(ctx, opts.Offsets)
	if err != nil && len(deleted) == 0 {
		return err
	}
	results, failed := make([]result, 0, len(deleted)), false
	for _, d := range deleted {
		r := result{Partition: fmt.Sprintf("%s-%d", d.Topic, d.Partition)}
		if d.Err != nil {
			r.Error, failed = d.Err.Error(), true
		} else {
			r.LowWatermark = &d.LowWatermark
		}
		results = append(results, r)
	}
	if structured {
		if _, err := output.Structured(opts.IO.Out, opts.Output, results); err != nil {
			return err
		}
	} else {
		printResults(opts.IO, results)
	}
	if failed {
		return clierr.ErrSilent
	}
	return nil
}

func printResults(ios *iostreams.IOStreams, results []result) {
	fmt.Fprintln(ios.Out, "Records delete operation completed:")
	for _, r := range results {
		if r.Error != "" {
			fmt.Fprintf(ios.Out, "partition: %s\terror: %s\n", r.Partition, r.Error)
			continue
		}
		fmt.Fprintf(ios.Out, "partition: %s\tlow_watermark: %d\n", r.Partition, *r.LowWatermark)
	}
}
