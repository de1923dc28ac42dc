package leaderelection

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// Outcome is an election's result sorted as Kafka's tool reports it; it
// is also what -o json|yaml prints.
type Outcome struct {
	ElectionType string      `json:"election_type"`
	Elected      []Partition `json:"elected"`
	NotNeeded    []Partition `json:"not_needed"`
	Failed       []Failure   `json:"failed"`
}

// Partition names one partition.
type Partition struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
}

func (p Partition) String() string { return fmt.Sprintf("%s-%d", p.Topic, p.Partition) }

// Failure is a partition whose election failed, and why.
type Failure struct {
	Partition
	Error string `json:"error"`
}

func electRun(ctx context.Context, opts *Options) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	results, err := a.ElectLeaders(ctx, opts.Type, opts.Partitions)
	if err != nil {
		return err
	}
	o := outcome(opts.Type, results)
	if done, err := output.Structured(opts.IO.Out, opts.Output, o); done {
		if err != nil {
			return err
		}
	} else {
		printText(opts, o)
	}
	if len(o.Failed) > 0 {
		return failedError(o.Failed)
	}
	return nil
}

func outcome(typ admin.ElectionType, results []admin.ElectionResult) Outcome {
	o := Outcome{ElectionType: typ.String(), Elected: []Partition{}, NotNeeded: []Partition{}, Failed: []Failure{}}
	for _, r := range results {
		p := Partition{Topic: r.Topic, Partition: r.Partition}
		switch {
		case r.Err == nil:
			o.Elected = append(o.Elected, p)
		case errors.Is(r.Err, kerr.ElectionNotNeeded):
			o.NotNeeded = append(o.NotNeeded, p)
		default:
			o.Failed = append(o.Failed, Failure{Partition: p, Error: r.Err.Error()})
		}
	}
	return o
}

// printText writes Kafka's lines: successes and no-ops on stdout,
// failures on stderr.
func printText(opts *Options, o Outcome) {
	if len(o.Elected) > 0 {
		fmt.Fprintf(opts.IO.Out, "Successfully completed leader election (%s) for partitions %s\n", o.ElectionType, joinPartitions(o.Elected))
	}
	if len(o.NotNeeded) > 0 {
		fmt.Fprintf(opts.IO.Out, "Valid replica already elected for partitions %s\n", joinPartitions(o.NotNeeded))
	}
	for _, f := range o.Failed {
		fmt.Fprintf(opts.IO.ErrOut, "Error completing leader election (%s) for partition: %s: %s\n", o.ElectionType, f.Partition, f.Error)
	}
}

func joinPartitions(ps []Partition) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

// failedError is the command's error when some elections failed:
// Kafka's "N replica(s) could not be elected", exiting 1.
func failedError(failed []Failure) error {
	return fmt.Errorf("%d replica(s) could not be elected", len(failed))
}
