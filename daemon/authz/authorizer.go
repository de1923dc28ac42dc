package authz

import (
	"maps"
	"sync"
	"sync/atomic"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// Config is the authorizer's part of the broker config.
type Config struct {
	// SuperUsers are super.users' principals: allowed everything.
	SuperUsers []string
	// AllowEveryoneIfNoACLFound is allow.everyone.if.no.acl.found.
	AllowEveryoneIfNoACLFound bool
}

// Authorizer answers checks from the current snapshot. It is safe for
// concurrent use: checks read the snapshot without locking; Reset and
// Update build a new one and swap it in.
type Authorizer struct {
	super      map[string]struct{}
	allowEmpty bool
	snap       atomic.Pointer[Snapshot]

	mu   sync.Mutex // serializes Reset and Update
	acls map[Pattern][]Entry
}

// New returns an authorizer with no ACLs.
func New(cfg Config) *Authorizer {
	a := &Authorizer{super: map[string]struct{}{}, allowEmpty: cfg.AllowEveryoneIfNoACLFound}
	for _, p := range cfg.SuperUsers {
		a.super[p] = struct{}{}
	}
	a.snap.Store(NewSnapshot(nil))
	return a
}

// Swap installs a new snapshot (tests; the broker uses Reset and Update).
func (a *Authorizer) Swap(s *Snapshot) { a.snap.Store(s) }

// Reset replaces every ACL, as read from the store.
func (a *Authorizer) Reset(acls map[Pattern][]Entry) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.acls = maps.Clone(acls)
	a.snap.Store(NewSnapshot(a.acls))
}

// Update replaces the ACLs of the given patterns (none left removes the
// pattern), as re-read after a change.
func (a *Authorizer) Update(changed map[Pattern][]Entry) {
	a.mu.Lock()
	defer a.mu.Unlock()
	next := maps.Clone(a.acls)
	if next == nil {
		next = map[Pattern][]Entry{}
	}
	for p, entries := range changed {
		if len(entries) == 0 {
			delete(next, p)
		} else {
			next[p] = entries
		}
	}
	a.acls = next
	a.snap.Store(NewSnapshot(next))
}

// Snapshot returns the current snapshot.
func (a *Authorizer) Snapshot() *Snapshot { return a.snap.Load() }

// IsSuperUser reports whether principal is in super.users.
func (a *Authorizer) IsSuperUser(principal string) bool {
	_, ok := a.super[principal]
	return ok
}

// Authorize reports whether principal, connected from host, may perform
// op on the resource of type t named name. host may be "" when the
// snapshot is not HostSpecific.
func (a *Authorizer) Authorize(principal, host string, op kmsg.ACLOperation, t kmsg.ACLResourceType, name string) bool {
	if a.IsSuperUser(principal) {
		return true
	}
	if int(t) < 0 || int(t) >= numResourceTypes {
		return false
	}
	ti := &a.snap.Load().types[t]
	m := matcher{principal: principal, host: host, op: op}
	m.scan(ti.literal[name])
	if name != Wildcard {
		m.scan(ti.literal[Wildcard])
	}
	for _, n := range ti.prefixLens {
		if n > len(name) {
			break
		}
		m.scan(ti.prefixed[name[:n]])
	}
	if m.denied {
		return false
	}
	return m.allowed || (!m.found && a.allowEmpty)
}

// matcher accumulates what the ACLs that apply to one resource say about
// one request.
type matcher struct {
	principal, host string
	op              kmsg.ACLOperation
	found           bool // some ACL applies to the resource, whoever it names
	allowed, denied bool
}

func (m *matcher) scan(entries []Entry) {
	if len(entries) > 0 {
		m.found = true
	}
	for i := range entries {
		e := &entries[i]
		if !e.appliesTo(m.principal, m.host) {
			continue
		}
		if e.Permission == kmsg.ACLPermissionTypeDeny {
			// A Deny covers only its own operation (or All): denying
			// Read leaves Describe to the Allow ACLs, as in Kafka.
			m.denied = m.denied || e.Operation == m.op || e.Operation == kmsg.ACLOperationAll
		} else {
			m.allowed = m.allowed || implies(e.Operation, m.op)
		}
	}
}

func (e *Entry) appliesTo(principal, host string) bool {
	return (e.Principal == principal || e.Principal == WildcardPrincipal) &&
		(e.Host == Wildcard || e.Host == host)
}

// implies reports whether an Allow of granted allows op.
func implies(granted, op kmsg.ACLOperation) bool {
	if granted == op || granted == kmsg.ACLOperationAll {
		return true
	}
	switch op {
	case kmsg.ACLOperationDescribe:
		switch granted {
		case kmsg.ACLOperationRead, kmsg.ACLOperationWrite, kmsg.ACLOperationDelete, kmsg.ACLOperationAlter:
			return true
		}
	case kmsg.ACLOperationDescribeConfigs:
		return granted == kmsg.ACLOperationAlterConfigs
	}
	return false
}

// AuthorizeAny reports whether principal may perform op on at least one
// resource of type t (Kafka's authorizeByResourceType): some Allow
// applies to the principal and the operation, and no Deny of the literal
// wildcard takes it away. Without any ACL of the type it follows
// allow.everyone.if.no.acl.found.
func (a *Authorizer) AuthorizeAny(principal, host string, op kmsg.ACLOperation, t kmsg.ACLResourceType) bool {
	if a.IsSuperUser(principal) {
		return true
	}
	if int(t) < 0 || int(t) >= numResourceTypes {
		return false
	}
	ti := &a.snap.Load().types[t]
	wild := matcher{principal: principal, host: host, op: op}
	wild.scan(ti.literal[Wildcard])
	if wild.denied {
		return false
	}
	if ti.count == 0 {
		return a.allowEmpty
	}
	for name, entries := range ti.literal {
		if a.anyAllowed(principal, host, op, t, name, entries) {
			return true
		}
	}
	for _, entries := range ti.prefixed {
		if allowsSome(principal, host, op, entries) {
			return true
		}
	}
	return false
}

// anyAllowed reports whether the literal resource name is one principal
// may act on.
func (a *Authorizer) anyAllowed(principal, host string, op kmsg.ACLOperation, t kmsg.ACLResourceType, name string, entries []Entry) bool {
	return allowsSome(principal, host, op, entries) && (name == Wildcard || a.Authorize(principal, host, op, t, name))
}

func allowsSome(principal, host string, op kmsg.ACLOperation, entries []Entry) bool {
	m := matcher{principal: principal, host: host, op: op}
	m.scan(entries)
	return m.allowed && !m.denied
}

// AuthorizedOperations is the bit field of the operations principal may
// perform on the resource (bit n for kmsg.ACLOperation n), as Metadata,
// DescribeCluster and DescribeGroups report it.
func (a *Authorizer) AuthorizedOperations(principal, host string, t kmsg.ACLResourceType, name string) int32 {
	var bits int32
	for _, op := range SupportedOperations(t) {
		if a.Authorize(principal, host, op, t, name) {
			bits |= 1 << op
		}
	}
	return bits
}
