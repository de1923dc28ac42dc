package produce

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/recordjson"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
)

// flushGrace is how long an interrupted produce still waits for records
// already sent, so the summary is accurate.
const flushGrace = 5 * time.Second

func produceRun(ctx context.Context, opts *Options) error {
	p, err := opts.NewProducer(opts.Producer)
	if err != nil {
		return err
	}
	defer p.Close()
	var topics []string
	if opts.Topic != "" {
		topics = append(topics, opts.Topic)
	}
	if err := p.Prepare(ctx, topics...); err != nil {
		return err
	}
	t := &tracker{errOut: opts.IO.ErrOut}
	if opts.Producer.TransactionalID != "" {
		return transactionalRun(ctx, opts, p, t)
	}
	if opts.IO.IsStderrTTY() {
		t.startProgress(250 * time.Millisecond)
	}
	interrupted, readErr := feedAll(ctx, opts, opts.feeder(p), t)
	flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushGrace)
	defer cancel()
	if interrupted {
		_ = p.Flush(flushCtx) // best effort: the summary says what made it
	} else if err := p.Flush(ctx); err != nil && readErr == nil {
		readErr = fmt.Errorf("flush: %w", err)
	}
	t.stop()
	fmt.Fprintln(opts.IO.ErrOut, t.summary())
	return result(interrupted, readErr, t)
}

// transactionalRun feeds the input through transactions (txn.go). The
// first failed record stops the feed, as its transaction is aborted.
func transactionalRun(ctx context.Context, opts *Options, p factory.Producer, t *tracker) error {
	x, err := newTxnFeed(p, p, t, opts.TransactionSize)
	if err != nil {
		return err
	}
	feedCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	t.onFail = func() { stop(errRecordFailed) }
	if opts.IO.IsStderrTTY() {
		t.startProgress(250 * time.Millisecond)
	}
	_, readErr := feedAll(feedCtx, opts, opts.feeder(x), t)
	interrupted := ctx.Err() != nil
	// Ctrl-C must not cancel the abort that follows it.
	endCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushGrace)
	defer cancel()
	if !interrupted {
		endCtx = ctx
	}
	readErr = x.finish(endCtx, interrupted, readErr)
	t.stop()
	fmt.Fprintln(opts.IO.ErrOut, t.summary())
	fmt.Fprintln(opts.IO.ErrOut, x.summary())
	return result(interrupted, readErr, t)
}

func result(interrupted bool, readErr error, t *tracker) error {
	switch {
	case interrupted:
		return clierr.ErrInterrupted
	case readErr != nil:
		return readErr
	case t.failed.Load() > 0:
		return fmt.Errorf("%d of %d records failed; first: %w", t.failed.Load(), t.sent.Load(), t.err())
	}
	return nil
}

// feedAll reads every source in a goroutine, so Ctrl-C is noticed even
// while stdin blocks; it reports whether ctx ended first.
func feedAll(ctx context.Context, opts *Options, p producer, t *tracker) (bool, error) {
	done := make(chan error, 1)
	go func() { done <- feedSources(ctx, opts, p, t) }()
	select {
	case err := <-done:
		return ctx.Err() != nil, err
	case <-ctx.Done():
		return true, nil
	}
}

// producer is the part of factory.Producer the feed uses.
type producer interface {
	Produce(ctx context.Context, rec admin.Record, done func(admin.Record, error))
}

func feedSources(ctx context.Context, opts *Options, p producer, t *tracker) error {
	files := opts.Files
	if len(files) == 0 {
		files = []string{"-"}
	}
	for _, name := range files {
		if err := feedSource(ctx, opts, p, t, name); err != nil || ctx.Err() != nil {
			return err
		}
	}
	return nil
}

func feedSource(ctx context.Context, opts *Options, p producer, t *tracker, name string) error {
	var r io.Reader = opts.IO.In
	label := "stdin"
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("read input: %w", err)
		}
		defer f.Close()
		r, label = f, name
	}
	max := opts.MaxRecordBytes
	if opts.JSONInput {
		max = 2*max + 64<<10 // base64 and JSON quoting make a line longer than its record
	}
	return feedLines(ctx, opts, p, t, newLineReader(r, max), label)
}

func feedLines(ctx context.Context, opts *Options, p producer, t *tracker, lines *lineReader, label string) error {
	for ctx.Err() == nil {
		line, err := lines.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var tooLong *errLineTooLong
		if errors.As(err, &tooLong) {
			t.sent.Add(1)
			t.fail(where(label, lines.lineNo), err)
			continue
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", label, err)
		}
		if opts.JSONInput && len(line) == 0 {
			continue
		}
		rec, err := opts.record(line, lines.lineNo)
		t.sent.Add(1)
		if err != nil {
			t.fail(where(label, lines.lineNo), err)
			continue
		}
		p.Produce(ctx, rec, delivered(t, label, lines.lineNo))
	}
	return nil
}

// where names an input line in error messages: "stdin:12".
func where(label string, lineNo int) string { return fmt.Sprintf("%s:%d", label, lineNo) }

// delivered is a record's completion callback; it formats only failures,
// since it runs once per record.
func delivered(t *tracker, label string, lineNo int) func(admin.Record, error) {
	return func(r admin.Record, err error) {
		if err != nil {
			t.fail(fmt.Sprintf("%s: produce to %s", where(label, lineNo), r.Topic), err)
			return
		}
		t.delivered.Add(1)
	}
}

// record builds the record for one input line.
func (o *Options) record(line []byte, lineNo int) (admin.Record, error) {
	var rec admin.Record
	var err error
	switch {
	case o.JSONInput:
		rec, err = recordjson.Decode(line)
	case o.Template != nil:
		rec, err = o.Template.parse(line, lineNo)
	default:
		rec, err = o.Format.parse(line, lineNo)
		rec.Partition = admin.AnyPartition
	}
	if err != nil {
		return rec, err
	}
	if o.Topic != "" {
		rec.Topic = o.Topic
	}
	if rec.Topic == "" {
		return rec, errors.New("the record names no topic and --topic is not given")
	}
	if o.Partition != admin.AnyPartition {
		rec.Partition = o.Partition
	}
	return rec, nil
}
