package groups

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// DeleteOptions are the inputs of `kq groups delete` (--delete).
type DeleteOptions struct {
	IO     *iostreams.IOStreams
	Admin  func() (groupsAdmin, error)
	Output output.Format
	Groups []string
	// AllGroups deletes every group (those with members are refused).
	AllGroups bool
}

// deleted is one group's outcome, for -o json.
type deleted struct {
	Group string `json:"group"`
	Error string `json:"error,omitempty"`
}

func deleteRun(ctx context.Context, opts *DeleteOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	if opts.AllGroups {
		if opts.Groups, err = allGroupNames(ctx, a); err != nil {
			return err
		}
	}
	results, err := a.DeleteGroups(ctx, opts.Groups...)
	if err != nil {
		return err
	}
	var ok, failed []string
	var out []deleted
	for _, g := range opts.Groups {
		d := deleted{Group: g}
		if e := results[g]; e != nil {
			d.Error = groupErrorText(e)
			failed = append(failed, g)
		} else {
			ok = append(ok, g)
		}
		out = append(out, d)
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, out); done {
		return errors.Join(err, deleteFailure(failed))
	}
	if len(failed) == 0 {
		fmt.Fprintf(opts.IO.Out, "Deletion of requested consumer groups (%s) was successful.\n", quoted(ok))
		return nil
	}
	fmt.Fprintln(opts.IO.ErrOut, "Error: Deletion of some consumer groups failed:")
	for _, g := range failed {
		fmt.Fprintf(opts.IO.Out, "* Group '%s' could not be deleted due to: %s\n", g, groupErrorText(results[g]))
	}
	if len(ok) > 0 {
		fmt.Fprintf(opts.IO.Out, "\nThese consumer groups were deleted successfully: %s\n", quoted(ok))
	}
	return clierr.ErrSilent
}

func deleteFailure(failed []string) error {
	if len(failed) == 0 {
		return nil
	}
	return fmt.Errorf("deletion of consumer groups %s failed", quoted(failed))
}

func quoted(names []string) string {
	return "'" + strings.Join(names, "', '") + "'"
}

// groupErrorText is Kafka's wording of the usual refusals.
func groupErrorText(err error) string {
	switch {
	case errors.Is(err, kerr.NonEmptyGroup):
		return "The group is not empty."
	case errors.Is(err, kerr.GroupIDNotFound):
		return "The group id does not exist."
	}
	return err.Error()
}

// DeleteOffsetsOptions are the inputs of `kq groups delete-offsets`
// (--delete-offsets).
type DeleteOffsetsOptions struct {
	IO     *iostreams.IOStreams
	Admin  func() (groupsAdmin, error)
	Output output.Format
	Group  string
	Topic  TopicSelection
}

// partitionResult is one partition's outcome.
type partitionResult struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Error     string `json:"error,omitempty"`
}

func deleteOffsetsRun(ctx context.Context, opts *DeleteOffsetsOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	results, err := a.DeleteGroupOffsets(ctx, opts.Group, opts.Topic.Topic, opts.Topic.Partitions)
	if err != nil {
		return deleteOffsetsError(opts.Group, err)
	}
	out := make([]partitionResult, 0, len(results))
	failed := false
	for p, e := range results {
		r := partitionResult{Topic: opts.Topic.Topic, Partition: p}
		if e != nil {
			r.Error, failed = e.Error(), true
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Partition < out[j].Partition })
	if done, err := output.Structured(opts.IO.Out, opts.Output, out); done {
		if failed && err == nil {
			err = clierr.ErrSilent
		}
		return err
	}
	if failed {
		fmt.Fprintln(opts.IO.ErrOut, "Error: Encounter some partition level error, see the follow-up details:")
	} else {
		fmt.Fprintf(opts.IO.Out, "Request succeed for deleting offsets with topic %s group %s\n", opts.Topic.Topic, opts.Group)
	}
	fmt.Fprintf(opts.IO.Out, "\n%-30s %-15s %-15s\n", "TOPIC", "PARTITION", "STATUS")
	for _, r := range out {
		status := "Successful"
		if r.Error != "" {
			status = "Error: " + r.Error
		}
		fmt.Fprintf(opts.IO.Out, "%-30s %-15d %-15s\n", r.Topic, r.Partition, status)
	}
	if failed {
		return clierr.ErrSilent
	}
	return nil
}

func deleteOffsetsError(group string, err error) error {
	switch {
	case errors.Is(err, kerr.GroupIDNotFound):
		return clierr.NotFoundf("'%s' does not exist.", group)
	case errors.Is(err, kerr.NonEmptyGroup):
		return fmt.Errorf("deleting offsets of a consumer group '%s' is forbidden if the group is not empty: %w", group, err)
	}
	return err
}
