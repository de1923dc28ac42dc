package tui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/pages"
)

// Producer sends the record of the produce dialog; *admin.Producer has it.
type Producer interface {
	Produce(ctx context.Context, rec admin.Record, done func(admin.Record, error))
	Flush(ctx context.Context) error
	Close()
}

// The produce dialog's prompts, in the order asked.
const (
	askPartition = iota
	askKey
	askHeaders
	askValue
)

// produceKey handles P: produce to the topic selected.
func (m Model) produceKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	if !key.Matches(msg, m.keys.Produce) {
		return m, nil, false
	}
	topic, ok := m.selectedTopic()
	if !ok {
		next, cmd := m.failAction(errNoTopic)
		return next, cmd, true
	}
	record := admin.Record{Topic: topic, Partition: admin.AnyPartition}
	if _, onPartitions := m.top().page.(pages.Partitions); onPartitions {
		if n, err := strconv.ParseInt(m.top().cursor.Key, 10, 32); err == nil {
			record.Partition = int32(n)
		}
	}
	next, cmd := m.produce(record, nil)
	return next, cmd, true
}

// produceCommand is :produce [TOPIC [PARTITION|auto]], the selected topic
// without an argument.
func (m Model) produceCommand(name string, args []string) (tea.Model, tea.Cmd, bool) {
	if name != "produce" {
		return m, nil, false
	}
	topic, err := targetOf(args, m.selectedTopic, errNoTopic)
	if err != nil {
		next, cmd := m.failAction(err)
		return next, cmd, true
	}
	var answers []string
	if len(args) > 1 {
		answers = []string{strings.TrimPrefix(args[1], "auto")}
	}
	next, cmd := m.produce(admin.Record{Topic: topic, Partition: admin.AnyPartition}, answers)
	return next, cmd, true
}

// resend opens the produce dialog filled with a record of the Messages
// view: the same topic, partition, key, headers and value, each editable.
func (m Model) resend(rec admin.Record) (tea.Model, tea.Cmd) {
	if !utf8.Valid(rec.Key) || !utf8.Valid(rec.Value) || !validHeaders(rec.Headers) {
		return m.failAction(fmt.Errorf("offset %d has binary bytes the dialog cannot edit as text: not resent", rec.Offset))
	}
	return m.produce(rec, nil)
}

func validHeaders(hs []admin.Header) bool {
	for _, h := range hs {
		// The dialog reads headers as name=value separated by spaces.
		if !utf8.ValidString(h.Key) || !utf8.Valid(h.Value) || strings.ContainsAny(h.Key, " \t\n=") ||
			strings.ContainsAny(string(h.Value), " \t\n") {
			return false
		}
	}
	return true
}

// produce asks for a record's partition, key, headers and value, each
// filled from like (a resent record, or only a topic and maybe a
// partition), previews it and sends it once confirmed. The outcome names
// the partition and offset written, or the broker's error in full.
func (m Model) produce(like admin.Record, answers []string) (tea.Model, tea.Cmd) {
	switch {
	case m.opts.ReadOnly:
		return m.refuseReadOnly()
	case m.opts.NewProducer == nil:
		return m.failAction(errors.New("producing needs a producer, which this kq tui was not given"))
	case m.snap == nil:
		return m.failAction(errors.New("waiting for the cluster"))
	}
	t, ok := m.snap.Topic(like.Topic)
	if !ok {
		return m.failAction(fmt.Errorf("no topic %q", like.Topic))
	}
	partitions := len(t.Partitions)
	prefill := ""
	if like.Partition >= 0 {
		prefill = strconv.Itoa(int(like.Partition))
	}
	return m.openDialog(&dialog{
		title: "Produce to " + like.Topic,
		prompts: []prompt{
			askPartition: {label: "partition", hint: fmt.Sprintf("0 to %d; empty: auto (by the key's hash, else spread)", partitions-1),
				prefill: prefill, empty: "(auto)", check: func(s string) error { return partitionFits(s, partitions) }},
			askKey: {label: "key", hint: "empty: a null key", prefill: string(like.Key), empty: "(null)",
				check: func(string) error { return nil }},
			askHeaders: {label: "headers", hint: "name=value name2=value2; empty: none", prefill: headersText(like.Headers),
				empty: "(none)", check: func(s string) error { _, err := parseHeaders(s); return err }},
			askValue: {label: "value", hint: "ctrl+e edits it in $EDITOR (a multi-line box without one); empty: an empty value",
				prefill: string(like.Value), empty: "(empty)", check: func(string) error { return nil }, long: true},
		},
		answers: answers,
		plan: func(_ context.Context, ans []string) (preview, error) {
			rec, err := recordOf(like.Topic, ans)
			if err != nil {
				return preview{}, err
			}
			return m.producePlan(rec), nil
		},
	})
}

// partitionFits accepts a partition of the topic, or nothing for auto.
func partitionFits(s string, partitions int) error {
	if s == "" {
		return nil
	}
	if n, err := strconv.Atoi(s); err != nil || n < 0 || n >= partitions {
		return fmt.Errorf("partition %q: the topic has partitions 0 to %d (empty: auto)", s, partitions-1)
	}
	return nil
}

// recordOf is the record the dialog's answers describe.
func recordOf(topic string, ans []string) (admin.Record, error) {
	rec := admin.Record{Topic: topic, Partition: admin.AnyPartition, Value: []byte(ans[askValue])}
	if s := ans[askPartition]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return rec, fmt.Errorf("partition %q: %w", s, err)
		}
		rec.Partition = int32(n)
	}
	if k := ans[askKey]; k != "" {
		rec.Key = []byte(k)
	}
	headers, err := parseHeaders(ans[askHeaders])
	rec.Headers = headers
	return rec, err
}

// parseHeaders reads "name=value name2=value2"; a name may repeat, as
// Kafka allows.
func parseHeaders(s string) ([]admin.Header, error) {
	var out []admin.Header
	for _, f := range strings.Fields(s) {
		name, value, ok := strings.Cut(f, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("header %q: want name=value", f)
		}
		out = append(out, admin.Header{Key: name, Value: []byte(value)})
	}
	return out, nil
}

// headersText is headers as the dialog reads them.
func headersText(hs []admin.Header) string {
	parts := make([]string, 0, len(hs))
	for _, h := range hs {
		parts = append(parts, h.Key+"="+string(h.Value))
	}
	return strings.Join(parts, " ")
}

// producePlan shows the record and sends it when confirmed: one record,
// acks=all and idempotent (Kafka's producer defaults), flushed before
// the dialog closes.
func (m Model) producePlan(rec admin.Record) preview {
	// The answers above it show the record; the preview adds what they
	// cannot: the value's size, and where an automatic partition goes.
	text := fmt.Sprintf("value of %s; acks=all, idempotent", sizeText(rec.Value))
	if rec.Partition < 0 {
		text += "; partition by the key's hash"
		if rec.Key == nil {
			text = fmt.Sprintf("value of %s; acks=all, idempotent; no key: the producer picks the partition", sizeText(rec.Value))
		}
	}
	lines := []components.Cell{components.Text(text, m.st.Faint)}
	newProducer := m.opts.NewProducer
	return preview{
		lines:    lines,
		question: fmt.Sprintf("Produce this record to %s?", rec.Topic),
		running:  "producing to " + rec.Topic + "…",
		run: func(runCtx context.Context) (string, error) {
			written, err := produceOne(runCtx, newProducer, rec)
			if err != nil {
				return "", fmt.Errorf("produce to %s: %w", rec.Topic, err)
			}
			return fmt.Sprintf("produced to %s partition %d at offset %d", written.Topic, written.Partition, written.Offset), nil
		},
	}
}

// produceOne sends rec with a producer of its own and waits for the
// broker's answer.
func produceOne(ctx context.Context, newProducer func() (Producer, error), rec admin.Record) (admin.Record, error) {
	p, err := newProducer()
	if err != nil {
		return admin.Record{}, err
	}
	defer p.Close()
	type result struct {
		rec admin.Record
		err error
	}
	done := make(chan result, 1)
	p.Produce(ctx, rec, func(r admin.Record, err error) { done <- result{r, err} })
	if err := p.Flush(ctx); err != nil {
		return admin.Record{}, err
	}
	select {
	case r := <-done:
		return r.rec, r.err
	case <-ctx.Done():
		return admin.Record{}, ctx.Err()
	}
}

// firstLine is a value's beginning on one line.
func firstLine(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	if s == "" {
		return `""`
	}
	return s
}

func sizeText(b []byte) string {
	lines := strings.Count(string(b), "\n") + 1
	if lines > 1 {
		return fmt.Sprintf("%d bytes, %d lines", len(b), lines)
	}
	return fmt.Sprintf("%d bytes", len(b))
}
