package authz

import (
	"slices"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// numResourceTypes bounds kmsg.ACLResourceType's concrete values.
const numResourceTypes = int(kmsg.ACLResourceTypeUser) + 1

// Snapshot is an immutable index of every ACL, built once per change and
// shared by every check.
type Snapshot struct {
	byPattern map[Pattern][]Entry
	types     [numResourceTypes]typeIndex
	// hostSpecific is whether any entry names a host other than "*": when
	// none does, callers need not work out the client's address.
	hostSpecific bool
}

// typeIndex holds one resource type's ACLs.
type typeIndex struct {
	literal  map[string][]Entry // by name; "*" is the wildcard
	prefixed map[string][]Entry // by prefix
	// prefixLens are the distinct lengths of the prefixes, ascending, so
	// a check looks up only the prefixes of a name that could exist.
	prefixLens []int
	count      int // entries of this type
}

// NewSnapshot indexes the ACLs of every pattern. Patterns and entries
// that do not validate are left out: a malformed ACL never grants.
func NewSnapshot(acls map[Pattern][]Entry) *Snapshot {
	s := &Snapshot{byPattern: make(map[Pattern][]Entry, len(acls))}
	for p, entries := range acls {
		entries = validEntries(p, entries)
		if p.Validate() != nil || len(entries) == 0 {
			continue
		}
		s.byPattern[p] = entries
		s.index(p, entries)
	}
	return s
}

func validEntries(p Pattern, entries []Entry) []Entry {
	out := make([]Entry, 0, len(entries))
	for _, e := range entries {
		if e.Validate(p.Type) == nil {
			out = append(out, e)
		}
	}
	return out
}

func (s *Snapshot) index(p Pattern, entries []Entry) {
	ti := &s.types[p.Type]
	ti.count += len(entries)
	for _, e := range entries {
		if e.Host != Wildcard {
			s.hostSpecific = true
		}
	}
	if p.PatternType == kmsg.ACLResourcePatternTypeLiteral {
		if ti.literal == nil {
			ti.literal = map[string][]Entry{}
		}
		ti.literal[p.Name] = entries
		return
	}
	if ti.prefixed == nil {
		ti.prefixed = map[string][]Entry{}
	}
	ti.prefixed[p.Name] = entries
	if n := len(p.Name); !slices.Contains(ti.prefixLens, n) {
		ti.prefixLens = append(ti.prefixLens, n)
		slices.Sort(ti.prefixLens)
	}
}

// Bindings returns every binding the filter selects, in no set order.
func (s *Snapshot) Bindings(f Filter) []Binding {
	var out []Binding
	for p, entries := range s.byPattern {
		for _, e := range entries {
			if b := (Binding{Pattern: p, Entry: e}); f.Matches(b) {
				out = append(out, b)
			}
		}
	}
	return out
}

// Entries returns a pattern's entries (shared: do not modify).
func (s *Snapshot) Entries(p Pattern) []Entry { return s.byPattern[p] }

// Len is the number of entries.
func (s *Snapshot) Len() int {
	n := 0
	for i := range s.types {
		n += s.types[i].count
	}
	return n
}

// HostSpecific reports whether any ACL names a host other than "*".
func (s *Snapshot) HostSpecific() bool { return s.hostSpecific }
