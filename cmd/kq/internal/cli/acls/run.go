package acls

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/kqhq/kq/daemon/authz"
)

func aclsRun(ctx context.Context, opts *Options) error {
	s, err := opts.Store()
	if err != nil {
		return err
	}
	switch {
	case opts.Add:
		return addRun(ctx, opts, s)
	case opts.Remove:
		return removeRun(ctx, opts, s)
	}
	return listRun(ctx, opts, s)
}

func addRun(ctx context.Context, opts *Options, s store) error {
	bs, err := opts.Flags.Bindings()
	if err != nil {
		return err
	}
	sortBindings(bs)
	if opts.Output == output.Table {
		for _, g := range groupByPattern(bs) {
			if err := writeBlock(opts.IO.Out, "Adding ACLs for resource", g.pattern, g.entries); err != nil {
				return err
			}
		}
	}
	if err := s.Add(ctx, bs); err != nil {
		return err
	}
	return listPatterns(ctx, opts, s, patternsOf(bs))
}

func removeRun(ctx context.Context, opts *Options, s store) error {
	filters, err := opts.Flags.Filters()
	if err != nil {
		return err
	}
	if !opts.Force {
		ok, err := confirmRemove(opts, filters)
		if err != nil || !ok {
			return err
		}
	}
	if _, err := s.Remove(ctx, filters); err != nil {
		return err
	}
	var patterns []authz.Pattern
	for _, f := range filters {
		patterns = append(patterns, authz.Pattern{Type: f.Type, Name: f.Name, PatternType: f.PatternType})
	}
	return listPatterns(ctx, opts, s, dedupe(patterns))
}

// confirmRemove asks, as kafka-acls.sh does without --force, and reports
// whether the answer was y.
func confirmRemove(opts *Options, filters []authz.Filter) (bool, error) {
	for _, f := range filters {
		question := fmt.Sprintf("Are you sure you want to delete all ACLs for resource filter `%s`? (y/n)", filterString(f))
		if f.Principal != "" {
			e := authz.Entry{Principal: f.Principal, Host: f.Host, Operation: f.Operation, Permission: f.Permission}
			question = fmt.Sprintf("Are you sure you want to remove ACLs: \n \t%s \n from resource filter `%s`? (y/n)", e, filterString(f))
		}
		fmt.Fprintln(opts.IO.ErrOut, question)
		answer, err := bufio.NewReader(opts.IO.In).ReadString('\n')
		if err != nil && answer == "" {
			return false, fmt.Errorf("no answer to the confirmation (use --force): %w", err)
		}
		if !strings.EqualFold(strings.TrimSpace(answer), "y") {
			return false, nil
		}
	}
	return true, nil
}

func listRun(ctx context.Context, opts *Options, s store) error {
	filters, err := opts.Flags.ListFilters()
	if err != nil {
		return err
	}
	var all []authz.Binding
	for _, f := range filters {
		bs, err := s.List(ctx, f)
		if err != nil {
			return err
		}
		all = append(all, bs...)
	}
	if opts.Output == output.Table {
		for _, p := range opts.Flags.Principals {
			fmt.Fprintf(opts.IO.Out, "ACLs for principal `%s`\n", p)
		}
	}
	return writeBindings(opts.IO.Out, opts.Output, dedupeBindings(all))
}

// listPatterns shows the current ACLs of the patterns, after a change.
func listPatterns(ctx context.Context, opts *Options, s store, patterns []authz.Pattern) error {
	var all []authz.Binding
	for _, p := range patterns {
		bs, err := s.List(ctx, authz.Filter{Type: p.Type, Name: p.Name, PatternType: p.PatternType,
			Operation: anyOp, Permission: anyPerm})
		if err != nil {
			return err
		}
		all = append(all, bs...)
	}
	return writeBindings(opts.IO.Out, opts.Output, dedupeBindings(all))
}

func patternsOf(bs []authz.Binding) []authz.Pattern {
	var out []authz.Pattern
	for _, b := range bs {
		out = append(out, b.Pattern)
	}
	return dedupe(out)
}

func dedupe(ps []authz.Pattern) []authz.Pattern {
	var out []authz.Pattern
	seen := map[authz.Pattern]bool{}
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

func dedupeBindings(bs []authz.Binding) []authz.Binding {
	var out []authz.Binding
	seen := map[authz.Binding]bool{}
	for _, b := range bs {
		if !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	return out
}
