package snapshot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/kqhq/kq/admin"
)

// DefaultGroupBudget bounds the groups described per refresh. Describing a
// group costs two requests to its coordinator (DescribeGroups and
// OffsetFetch). Measured with BenchmarkRefreshGroups (test/tui) on
// `kq server --brokers 3` on a loaded 2-core machine: a refresh takes
// ~2 ms without groups, 34 ms with 100, 149 ms with 500 and 327 ms with
// 1,000 (8 requests in flight; one at a time is twice as slow, 32 no
// faster). The budget keeps a refresh near 150 ms however many groups
// there are, well inside the 2 s default interval; the others keep their
// last description and take their turn, oldest first.
const DefaultGroupBudget = 500

// DefaultConcurrency bounds the group requests in flight, so a refresh of
// a cluster with thousands of groups does not open thousands of requests
// at once on the coordinators.
const DefaultConcurrency = 8

// Options tune a refresh.
type Options struct {
	// Focus names groups described on every refresh whatever the budget:
	// the group on screen stays live.
	Focus []string
	// GroupBudget bounds the groups described per refresh: 0 is
	// DefaultGroupBudget, negative is no bound.
	GroupBudget int
	// FocusTransactions names transactional ids described on every
	// refresh whatever the budget.
	FocusTransactions []string
	// TransactionBudget bounds the transactional ids described per
	// refresh: 0 is DefaultTransactionBudget, negative is no bound.
	TransactionBudget int
	// Concurrency bounds the group requests in flight: 0 is
	// DefaultConcurrency.
	Concurrency int
}

func (o Options) budget() int {
	switch {
	case o.GroupBudget == 0:
		return DefaultGroupBudget
	case o.GroupBudget < 0:
		return int(^uint(0) >> 1)
	}
	return o.GroupBudget
}

// groupsRead is what one refresh read about groups.
type groupsRead struct {
	known     bool // the source knows groups
	listed    []admin.GroupListing
	described map[string]describedGroup
	err       error // the listing failed
}

// describedGroup is one group's description and committed offsets.
type describedGroup struct {
	desc      admin.Group
	committed []admin.GroupOffset
	err       error
}

// fetchGroups lists the groups and describes those whose turn it is.
func fetchGroups(ctx context.Context, src Source, prev *Snapshot, opts Options) groupsRead {
	gs, ok := src.(GroupSource)
	if !ok {
		return groupsRead{}
	}
	listed, err := gs.ListGroups(ctx)
	if err != nil {
		return groupsRead{known: true, err: fmt.Errorf("list groups: %w", err)}
	}
	names := chooseGroups(listed, prev, opts)
	return groupsRead{known: true, listed: listed, described: describeGroups(ctx, gs, names, opts)}
}

// chooseGroups picks at most the budget of groups to describe: the focused
// ones, then those never described, then the longest waiting.
func chooseGroups(listed []admin.GroupListing, prev *Snapshot, opts Options) []string {
	var focus, fresh, waiting []string
	for _, l := range listed {
		switch _, seen := prevGroup(prev, l.Group); {
		case slices.Contains(opts.Focus, l.Group):
			focus = append(focus, l.Group)
		case !seen:
			fresh = append(fresh, l.Group)
		default:
			waiting = append(waiting, l.Group)
		}
	}
	slices.SortStableFunc(waiting, func(a, b string) int {
		ga, _ := prevGroup(prev, a)
		gb, _ := prevGroup(prev, b)
		return ga.DescribedAt.Compare(gb.DescribedAt)
	})
	all := slices.Concat(focus, fresh, waiting)
	return all[:min(len(all), max(opts.budget(), len(focus)))]
}

func prevGroup(prev *Snapshot, name string) (Group, bool) {
	if prev == nil {
		return Group{}, false
	}
	return prev.Group(name)
}

// describeGroups describes the named groups, opts.Concurrency at a time.
func describeGroups(ctx context.Context, gs GroupSource, names []string, opts Options) map[string]describedGroup {
	workers := opts.Concurrency
	if workers <= 0 {
		workers = DefaultConcurrency
	}
	out := make(map[string]describedGroup, len(names))
	var mu sync.Mutex
	var wg sync.WaitGroup
	todo := make(chan string)
	for range min(workers, len(names)) {
		wg.Go(func() {
			for name := range todo {
				d := describeGroup(ctx, gs, name)
				mu.Lock()
				out[name] = d
				mu.Unlock()
			}
		})
	}
	for _, name := range names {
		todo <- name
	}
	close(todo)
	wg.Wait()
	return out
}

func describeGroup(ctx context.Context, gs GroupSource, name string) describedGroup {
	desc, err := gs.DescribeGroup(ctx, name)
	if err != nil {
		return describedGroup{err: err}
	}
	committed, err := gs.GroupOffsets(ctx, name)
	if err != nil {
		return describedGroup{desc: desc, err: err}
	}
	return describedGroup{desc: desc, committed: committed}
}

// groupErrors joins the groups' own failures, for Snapshot.Err: a group
// deleted between the listing and its description is not one.
func (r groupsRead) groupErrors() error {
	var errs []error
	for _, l := range r.listed {
		if d, ok := r.described[l.Group]; ok && d.err != nil && !errors.Is(d.err, admin.ErrNotFound) {
			errs = append(errs, fmt.Errorf("group %s: %w", l.Group, d.err))
		}
	}
	if len(errs) > 3 { // one line in the status bar, not hundreds
		errs = append(errs[:3], fmt.Errorf("and %d more groups", len(errs)-3))
	}
	return errors.Join(append([]error{r.err}, errs...)...)
}
