package consume

import (
	"bufio"
	"context"
	"errors"
	"fmt"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
)

// reader is one consume in progress.
type reader struct {
	opts    *Options
	out     *bufio.Writer
	buf     []byte
	count   int64 // records written
	scanned int64 // records read, --filter or not
	plan    map[int32]partitionPlan
	pending map[int32]bool // --exit-at-end: partitions not yet at their end
}

func consumeRun(ctx context.Context, opts *Options) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	if opts.SystestEvents {
		defer fmt.Fprintln(opts.IO.Out, "shutdown_complete")
	}
	if err := resolveInclude(ctx, a, opts); err != nil {
		return err
	}
	p, err := plan(ctx, a, opts)
	if err != nil {
		return err
	}
	r := &reader{opts: opts, out: bufio.NewWriterSize(opts.IO.Out, 64<<10), plan: p, pending: map[int32]bool{}}
	for id, pp := range p {
		if pp.start < pp.end {
			r.pending[id] = true
		}
	}
	err = r.run(ctx)
	if flushErr := r.out.Flush(); err == nil && flushErr != nil {
		err = fmt.Errorf("write output: %w", flushErr)
	}
	if opts.Filter != nil {
		fmt.Fprintf(opts.IO.ErrOut, "Scanned %d messages; %d matched --filter\n", r.scanned, r.count)
	}
	fmt.Fprintf(opts.IO.ErrOut, "Processed a total of %d messages\n", r.count)
	return err
}

// run reads until a stop condition: --max-messages, --exit-at-end,
// --timeout-ms, Ctrl-C (clierr.ErrInterrupted) or an error.
func (r *reader) run(ctx context.Context) error {
	if r.finished() {
		return nil
	}
	c, err := r.opts.NewConsumer(r.consumerConfig())
	if err != nil {
		return err
	}
	defer c.Close()
	for {
		recs, err := r.poll(ctx, c)
		switch {
		case ctx.Err() != nil:
			return clierr.ErrInterrupted
		case errors.Is(err, errQuiet):
			return nil // --timeout-ms passed without a record
		case err != nil && len(recs) == 0:
			return err
		}
		if err := r.write(recs, c); err != nil {
			return err
		}
		r.advance(c)
		if r.finished() {
			return nil
		}
	}
}

func (r *reader) consumerConfig() admin.ConsumerConfig {
	if r.opts.Group != "" {
		return admin.ConsumerConfig{Group: r.opts.Group, Topics: []string{r.opts.Topic},
			FromEarliest: r.opts.Offset.Kind == OffsetStart, NoReset: r.opts.NoReset, ReadCommitted: r.opts.ReadCommitted}
	}
	starts := make(map[int32]int64, len(r.plan))
	for id, pp := range r.plan {
		starts[id] = pp.start
	}
	return admin.ConsumerConfig{Start: map[string]map[int32]int64{r.opts.Topic: starts}, ReadCommitted: r.opts.ReadCommitted}
}

// marker is a group member's consumer: records written out are marked
// consumed, and the group commits them.
type marker interface {
	MarkConsumed(recs ...admin.Record)
}

// errQuiet is --timeout-ms elapsing without a record.
var errQuiet = errors.New("no record within --timeout-ms")

func (r *reader) poll(ctx context.Context, c factory.Consumer) ([]admin.Record, error) {
	if r.opts.Timeout <= 0 {
		return c.Poll(ctx)
	}
	pollCtx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	recs, err := c.Poll(pollCtx)
	if len(recs) == 0 && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return nil, errQuiet
	}
	return recs, err
}

// write formats recs, honouring --max-messages and --exit-at-end, and
// flushes so a tail shows records as they come.
func (r *reader) write(recs []admin.Record, c factory.Consumer) error {
	m, _ := c.(marker)
	for _, rec := range recs {
		if r.opts.ExitAtEnd && !r.pending[rec.Partition] {
			continue // arrived after the end offset we stop at
		}
		r.scanned++
		if r.opts.Filter == nil || r.opts.Filter.Match(&rec) {
			if err := r.format(rec); err != nil {
				return err
			}
			r.count++
		}
		if m != nil { // a record the filter skips is read all the same
			m.MarkConsumed(rec)
		}
		if rec.Offset+1 >= r.plan[rec.Partition].end {
			delete(r.pending, rec.Partition)
		}
		if r.finished() {
			break
		}
	}
	if err := r.out.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// advance retires the partitions the consumer has read to their end:
// the last record there may be a transaction marker that is never printed.
func (r *reader) advance(c factory.Consumer) {
	for p := range r.pending {
		if next, ok := c.Position(r.opts.Topic, p); ok && next >= r.plan[p].end {
			delete(r.pending, p)
		}
	}
}

func (r *reader) finished() bool {
	if r.opts.MaxMessages > 0 && r.count >= r.opts.MaxMessages {
		return true
	}
	return r.opts.ExitAtEnd && len(r.pending) == 0
}

// format writes one record, after --key-deserializer and
// --value-deserializer; a record they refuse stops the read, or with
// --skip-message-on-error is reported and skipped (and counted, as Kafka
// counts it).
func (r *reader) format(rec admin.Record) error {
	rec, err := r.opts.Deserialize.apply(rec)
	if err != nil {
		err = fmt.Errorf("record %s-%d@%d: %w", rec.Topic, rec.Partition, rec.Offset, err)
		if !r.opts.SkipOnError {
			return err
		}
		fmt.Fprintf(r.opts.IO.ErrOut, "Error processing message, skipping this message: %v\n", err)
		return nil
	}
	r.buf = r.opts.Formatter.append(r.buf[:0], rec)
	if _, err := r.out.Write(r.buf); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// resolveInclude picks the topic --include names.
func resolveInclude(ctx context.Context, a consumeAdmin, opts *Options) error {
	if opts.Include == nil {
		return nil
	}
	topics, err := a.Topics(ctx)
	if err != nil {
		return fmt.Errorf("list topics for --include: %w", err)
	}
	opts.Topic, err = includedTopic(topics, opts.Include)
	return err
}
