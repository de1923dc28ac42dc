package tui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/pages"
	"github.com/kqhq/kq/tui/snapshot"
)

// txnAdmin finds a transaction's producer on its partitions and aborts it
// there; *admin.Client implements it.
type txnAdmin interface {
	DescribeProducers(ctx context.Context, topic string, partitions []int32, brokerID int32) ([]admin.PartitionProducers, error)
	AbortTransaction(ctx context.Context, spec admin.AbortSpec) error
}

// errNoTransaction says where the abort key works.
var errNoTransaction = errors.New("select a transaction first (Transactions view)")

// selectedTransaction is the transactional id under the cursor in the
// Transactions view.
func (m Model) selectedTransaction() (string, bool) {
	if _, ok := m.top().page.(pages.Transactions); ok {
		return m.top().cursor.Key, m.top().cursor.Key != ""
	}
	return "", false
}

// abortTarget is one partition's abort: the spec sent, and where the open
// transaction starts there (for the preview; the spec names the producer).
type abortTarget struct {
	spec  admin.AbortSpec
	start int64
}

// abortTransaction aborts an open transaction on each of its partitions,
// as kafka-transactions abort does: the plan asks each partition's leader
// for its producers (DescribeProducers) and takes the transaction's
// producer with an open transaction there, its epoch and the coordinator
// epoch of its last marker; after y an ABORT marker is written per
// partition (AbortTransaction).
func (m Model) abortTransaction(id string) (tea.Model, tea.Cmd) {
	a, ok := m.opts.Source.(txnAdmin)
	if !ok {
		return m.failAction(errNoAction)
	}
	t, ok := m.snap.Transaction(id)
	if !ok {
		return m.failAction(fmt.Errorf("no transactional id %q", id))
	}
	title := "Abort transaction " + id
	switch {
	case t.DescribedAt.IsZero():
		return m.failAction(fmt.Errorf("%s has not been described yet, so its partitions are not known: try again after a refresh", id))
	case !t.Ongoing():
		return m.refusedDialog(title, fmt.Sprintf("%s is %s: it has no open transaction to abort.", id, t.State))
	case len(t.Partitions) == 0:
		return m.refusedDialog(title, fmt.Sprintf("%s has not written to any partition yet: there is nothing to abort.", id))
	}
	return m.openDialog(&dialog{
		title: title,
		plan: func(ctx context.Context, _ []string) (preview, error) {
			targets, skipped := findAborts(ctx, a, t)
			if len(targets) == 0 {
				return preview{}, fmt.Errorf("no partition of %s has an open transaction of producer %d (ended since?): %s",
					id, t.ProducerID, strings.Join(skipped, "; "))
			}
			return m.abortPreview(a, t, targets, skipped), nil
		},
	})
}

// findAborts looks for the transaction's producer on each partition; the
// partitions where it has no open transaction, or that cannot be asked,
// are skipped with the reason.
func findAborts(ctx context.Context, a txnAdmin, t snapshot.Transaction) ([]abortTarget, []string) {
	var targets []abortTarget
	var skipped []string
	for topic, parts := range byTopic(t.Partitions) {
		pps, err := a.DescribeProducers(ctx, topic, parts, -1)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s-%s: %v", topic, joinInts(parts), err))
			continue
		}
		for _, pp := range pps {
			tgt, why := abortOn(pp, t.ProducerID)
			if why != "" {
				skipped = append(skipped, fmt.Sprintf("%s-%d: %s", pp.Topic, pp.Partition, why))
				continue
			}
			targets = append(targets, tgt)
		}
	}
	return targets, skipped
}

// abortOn is the abort of producer pid's open transaction on one
// partition, or why there is none.
func abortOn(pp admin.PartitionProducers, pid int64) (abortTarget, string) {
	if pp.Err != nil {
		return abortTarget{}, pp.Err.Error()
	}
	i := slices.IndexFunc(pp.Producers, func(p admin.ProducerState) bool {
		return p.ProducerID == pid && p.CurrentTransactionStartOffset >= 0
	})
	if i < 0 {
		return abortTarget{}, fmt.Sprintf("no open transaction of producer %d", pid)
	}
	p := pp.Producers[i]
	// A coordinator epoch of -1 (no marker written yet) is sent as 0,
	// which no coordinator epoch is below, as Kafka's tool does.
	return abortTarget{start: p.CurrentTransactionStartOffset, spec: admin.AbortSpec{Topic: pp.Topic, Partition: pp.Partition,
		ProducerID: p.ProducerID, ProducerEpoch: p.ProducerEpoch, CoordinatorEpoch: max(p.CoordinatorEpoch, 0), StartOffset: -1}}, ""
}

// byTopic groups partitions by topic, in order (a range over the
// returned function visits the topics sorted).
func byTopic(tps []snapshot.TopicPartition) func(yield func(string, []int32) bool) {
	return func(yield func(string, []int32) bool) {
		for i := 0; i < len(tps); {
			j := i
			var parts []int32
			for ; j < len(tps) && tps[j].Topic == tps[i].Topic; j++ {
				parts = append(parts, tps[j].Partition)
			}
			if !yield(tps[i].Topic, parts) {
				return
			}
			i = j
		}
	}
}

func joinInts(ps []int32) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = strconv.Itoa(int(p))
	}
	return strings.Join(s, ",")
}

// abortPreview shows what will be sent per partition, and what is left
// out.
func (m Model) abortPreview(a txnAdmin, t snapshot.Transaction, targets []abortTarget, skipped []string) preview {
	tbl := &components.Table{
		Columns: []components.Column{{Title: "TOPIC", Shrink: true}, {Title: "P", Align: components.Right},
			{Title: "START-OFFSET", Align: components.Right}, {Title: "PRODUCER-ID", Align: components.Right},
			{Title: "EPOCH", Align: components.Right}, {Title: "COORDINATOR-EPOCH", Align: components.Right}},
		Cursor: components.Cursor{Index: -1}, Header: m.st.ColumnHeader, Plain: m.st.Plain,
	}
	for _, tg := range targets {
		s := tg.spec
		tbl.Rows = append(tbl.Rows, components.Row{Cells: []components.Cell{
			components.Text(s.Topic, m.st.Plain), components.Text(strconv.Itoa(int(s.Partition)), m.st.Plain),
			components.Text(components.Count(tg.start), m.st.Plain), components.Text(strconv.FormatInt(s.ProducerID, 10), m.st.Header),
			components.Text(strconv.Itoa(int(s.ProducerEpoch)), m.st.Header), components.Text(strconv.Itoa(int(s.CoordinatorEpoch)), m.st.Header),
		}})
	}
	lines := []components.Cell{
		components.Text("An ABORT marker is written on each partition: the transaction's records there are discarded "+
			"and read_committed consumers move past them.", m.st.Plain),
		components.Text(pages.WarnGlyph+" Only for a transaction its producer will not finish: a later commit would not bring these records back.", m.st.Warn),
	}
	for _, s := range skipped {
		lines = append(lines, components.Text(pages.WarnGlyph+" left out: "+s, m.st.Warn))
	}
	n := len(targets)
	return preview{
		lines: lines, table: tbl,
		question: fmt.Sprintf("Abort the transaction of %s on %s?", t.ID, pluralWord(n, "partition")),
		running:  "aborting the transaction of " + t.ID + "…",
		run: func(ctx context.Context) (string, error) {
			var failed []string
			for _, tg := range targets {
				if err := a.AbortTransaction(ctx, tg.spec); err != nil {
					failed = append(failed, fmt.Sprintf("%s-%d: %v", tg.spec.Topic, tg.spec.Partition, err))
				}
			}
			text := fmt.Sprintf("aborted the transaction of %s on %s", t.ID, pluralWord(n-len(failed), "partition"))
			if len(failed) > 0 {
				return "", fmt.Errorf("%s; %d failed: %s", text, len(failed), strings.Join(failed, ", "))
			}
			return text, nil
		},
	}
}
