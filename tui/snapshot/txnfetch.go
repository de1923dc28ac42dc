package snapshot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

// DefaultTransactionBudget bounds the transactional ids described per
// refresh. DescribeTransactions asks each coordinator about all its ids
// at once, so the cost is one request per coordinator whose answer grows
// with the ids (and their partitions); the bound keeps that answer
// moderate on a cluster of many producers, as DefaultGroupBudget does for
// groups. The rest keep their last description and take their turn.
const DefaultTransactionBudget = 500

func (o Options) txnBudget() int {
	switch {
	case o.TransactionBudget == 0:
		return DefaultTransactionBudget
	case o.TransactionBudget < 0:
		return int(^uint(0) >> 1)
	}
	return o.TransactionBudget
}

// txnsRead is what one refresh read about transactions.
type txnsRead struct {
	known     bool // the source knows transactions
	listed    []admin.TransactionListing
	listErr   error // the listing failed, for some coordinators or all
	described map[string]admin.Transaction
	descErr   error // the description failed as a whole
	asked     []string
}

// fetchTransactions lists the transactional ids and describes those whose
// turn it is.
func fetchTransactions(ctx context.Context, src Source, prev *Snapshot, opts Options) txnsRead {
	ts, ok := src.(TransactionSource)
	if !ok {
		return txnsRead{}
	}
	r := txnsRead{known: true}
	r.listed, r.listErr = ts.ListTransactions(ctx, admin.TransactionFilter{})
	switch {
	case r.listErr == nil:
	case len(r.listed) == 0 && tooOld(r.listErr):
		// Brokers before Kafka 3.0 have no ListTransactions: the view
		// says the cluster cannot list them, not a failure every refresh.
		return txnsRead{}
	default:
		r.listErr = fmt.Errorf("list transactions: %w", r.listErr)
	}
	r.asked = chooseTransactions(r.listed, prev, opts)
	if len(r.asked) == 0 {
		return r
	}
	described, err := ts.DescribeTransactions(ctx, r.asked...)
	if err != nil {
		r.descErr = fmt.Errorf("describe transactions: %w", err)
		return r
	}
	r.described = make(map[string]admin.Transaction, len(described))
	for _, d := range described {
		r.described[d.TransactionalID] = d
	}
	return r
}

// chooseTransactions picks at most the budget of ids to describe: the
// focused ones, then those never described or whose listing changed (a
// new state or producer), then the longest waiting.
func chooseTransactions(listed []admin.TransactionListing, prev *Snapshot, opts Options) []string {
	var focus, fresh, waiting []string
	for _, l := range listed {
		before, seen := prevTransaction(prev, l.TransactionalID)
		switch {
		case slices.Contains(opts.FocusTransactions, l.TransactionalID):
			focus = append(focus, l.TransactionalID)
		case !seen || before.DescribedAt.IsZero() || before.State != l.State || before.ProducerID != l.ProducerID:
			fresh = append(fresh, l.TransactionalID)
		default:
			waiting = append(waiting, l.TransactionalID)
		}
	}
	slices.SortStableFunc(waiting, func(a, b string) int {
		ta, _ := prevTransaction(prev, a)
		tb, _ := prevTransaction(prev, b)
		return ta.DescribedAt.Compare(tb.DescribedAt)
	})
	all := slices.Concat(focus, fresh, waiting)
	return all[:min(len(all), max(opts.txnBudget(), len(focus)))]
}

func prevTransaction(prev *Snapshot, id string) (Transaction, bool) {
	if prev == nil {
		return Transaction{}, false
	}
	return prev.Transaction(id)
}

// buildTransactions turns what was read into Transactions. An id whose
// turn it was not keeps its last description with the listing's state;
// when the listing failed on some coordinator the ids of prev it did not
// list are kept, as their coordinator may be the one that failed.
func buildTransactions(r txnsRead, prev *Snapshot, now time.Time) []Transaction {
	if !r.known {
		return nil
	}
	out := make([]Transaction, 0, len(r.listed))
	listed := map[string]bool{}
	for _, l := range r.listed {
		listed[l.TransactionalID] = true
		if t, ok := r.transaction(l, prev, now); ok {
			out = append(out, t)
		}
	}
	if r.listErr != nil && prev != nil {
		for _, t := range prev.Transactions {
			if !listed[t.ID] {
				out = append(out, t)
			}
		}
	}
	slices.SortFunc(out, func(a, b Transaction) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// transaction is one listed id: described now, or kept from prev, or
// only what the listing says; false when it is gone since the listing.
func (r txnsRead) transaction(l admin.TransactionListing, prev *Snapshot, now time.Time) (Transaction, bool) {
	d, described := r.described[l.TransactionalID]
	if described && d.Err == nil {
		return fromDescription(d, now), true
	}
	if described && errors.Is(d.Err, admin.ErrNotFound) {
		return Transaction{}, false // expired since the listing
	}
	t, seen := prevTransaction(prev, l.TransactionalID)
	if !seen {
		t = Transaction{ID: l.TransactionalID}
	}
	if t.State != l.State || t.ProducerID != l.ProducerID {
		// The listing is fresh; what the old description said of the
		// transaction no longer holds.
		t.Start, t.Partitions = time.Time{}, nil
	}
	t.State, t.ProducerID, t.Coordinator = l.State, l.ProducerID, l.Coordinator
	switch {
	case described:
		t.Err = d.Err
	case r.descErr != nil && slices.Contains(r.asked, l.TransactionalID):
		t.Err = r.descErr
	}
	return t, true
}

// errors are the listing's and the descriptions' failures, for
// Snapshot.Err; an id expired between the listing and its description is
// not one.
func (r txnsRead) errors() error {
	errs := []error{r.listErr, r.descErr}
	n := 0
	for _, id := range r.asked {
		d, ok := r.described[id]
		if !ok || d.Err == nil || errors.Is(d.Err, admin.ErrNotFound) {
			continue
		}
		if n++; n <= 3 { // one line in the status bar, not hundreds
			errs = append(errs, d.Err)
		}
	}
	if n > 3 {
		errs = append(errs, fmt.Errorf("and %d more transactions", n-3))
	}
	return errors.Join(errs...)
}

// tooOld reports whether err says the brokers do not know the request:
// UNSUPPORTED_VERSION, or franz-go's own refusal to send a request the
// broker's ApiVersions did not list (an unexported error, known by its
// text).
func tooOld(err error) bool {
	return errors.Is(err, kerr.UnsupportedVersion) || strings.Contains(err.Error(), "broker is too old")
}
