package acls

import (
	"strings"

	"github.com/spf13/pflag"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/daemon/authz"
)

// Flags are kafka-acls.sh's principal, host, operation and resource
// flags.
type Flags struct {
	AllowPrincipals, DenyPrincipals []string
	AllowHosts, DenyHosts           []string
	Operations                      []string
	Topics, Groups                  []string
	Cluster                         bool
	TransactionalIDs                []string
	DelegationTokens                []string
	UserPrincipals                  []string
	PatternType                     string
	Producer, Consumer, Idempotent  bool
	Principals                      []string // --principal, for --list
}

func (fl *Flags) register(set *pflag.FlagSet) {
	set.StringArrayVar(&fl.AllowPrincipals, "allow-principal", nil, "Principal allowed, as Type:name (User:alice, User:*); repeatable")
	set.StringArrayVar(&fl.DenyPrincipals, "deny-principal", nil, "Principal denied, as Type:name; repeatable")
	set.StringArrayVar(&fl.AllowHosts, "allow-host", nil, "Host (IP address) the allowed principals may connect from (default *)")
	set.StringArrayVar(&fl.DenyHosts, "deny-host", nil, "Host (IP address) the denied principals are denied from (default *)")
	set.StringArrayVar(&fl.Operations, "operation", nil, "Operation: All, Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, CreateTokens, DescribeTokens (default All)")
	set.StringArrayVar(&fl.Topics, "topic", nil, "Topic; repeatable, * for every topic")
	set.StringArrayVar(&fl.Groups, "group", nil, "Consumer group; repeatable, * for every group")
	set.BoolVar(&fl.Cluster, "cluster", false, "The cluster (kafka-cluster)")
	set.StringArrayVar(&fl.TransactionalIDs, "transactional-id", nil, "Transactional id; repeatable, * for every one")
	set.StringArrayVar(&fl.DelegationTokens, "delegation-token", nil, "Delegation token id; repeatable")
	set.StringArrayVar(&fl.UserPrincipals, "user-principal", nil, "User principal (for CreateTokens and DescribeTokens); repeatable")
	set.StringVar(&fl.PatternType, "resource-pattern-type", "literal", "literal or prefixed; for --list and --remove also any or match")
	set.BoolVar(&fl.Producer, "producer", false, "Convenience: the ACLs a producer needs")
	set.BoolVar(&fl.Consumer, "consumer", false, "Convenience: the ACLs a consumer needs (with --group)")
	set.BoolVar(&fl.Idempotent, "idempotent", false, "With --producer: IdempotentWrite on the cluster")
	set.StringArrayVar(&fl.Principals, "principal", nil, "With --list: only ACLs of this principal; repeatable")
}

// validate applies kafka-acls.sh's option rules.
func (o *Options) validate() error {
	fl := &o.Flags
	if n := btoi(o.Add) + btoi(o.Remove) + btoi(o.List); n != 1 {
		return clierr.Usagef("Command must include exactly one action: --list, --add, --remove.")
	}
	conv := fl.Producer || fl.Consumer
	switch {
	case conv && o.List:
		return clierr.Usagef("Option --producer and --consumer can only be used with --add or --remove")
	case conv && (len(fl.Operations) > 0 || len(fl.DenyPrincipals) > 0 || len(fl.DenyHosts) > 0):
		return clierr.Usagef("Option --producer and --consumer can't be used with --operation, --deny-principal or --deny-host")
	case fl.Producer && len(fl.Topics) == 0 && len(fl.TransactionalIDs) == 0:
		return clierr.Usagef("With --producer you must specify a --topic or --transactional-id")
	case fl.Consumer && (len(fl.Topics) == 0 || len(fl.Groups) == 0):
		return clierr.Usagef("With --consumer you must specify a --topic and a --group")
	case fl.Idempotent && !fl.Producer:
		return clierr.Usagef("--idempotent goes with --producer")
	case len(fl.Principals) > 0 && !o.List:
		return clierr.Usagef("--principal goes with --list")
	case o.Add && len(fl.AllowPrincipals) == 0 && len(fl.DenyPrincipals) == 0:
		return clierr.Usagef("You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.")
	}
	pt, err := fl.patternType()
	if err != nil {
		return err
	}
	if o.Add && pt != kmsg.ACLResourcePatternTypeLiteral && pt != kmsg.ACLResourcePatternTypePrefixed {
		return clierr.Usagef("A '--resource-pattern-type' value of '%s' is not valid when adding acls.", fl.PatternType)
	}
	if !o.List && len(fl.resources(pt)) == 0 {
		return clierr.Usagef("You must provide at least one resource: --topic <topic> or --cluster or --group <group> or --transactional-id <id> or --delegation-token <id> or --user-principal <principal>")
	}
	for _, p := range append(append(append([]string{}, fl.AllowPrincipals...), fl.DenyPrincipals...), fl.Principals...) {
		if _, _, err := authz.ParsePrincipal(p); err != nil {
			return clierr.Usage(err)
		}
	}
	_, err = fl.operations()
	return err
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (fl *Flags) patternType() (kmsg.ACLResourcePatternType, error) {
	pt, err := kmsg.ParseACLResourcePatternType(fl.PatternType)
	if err != nil || pt == kmsg.ACLResourcePatternTypeUnknown {
		return 0, clierr.Usagef("--resource-pattern-type %q: want literal, prefixed, any or match", fl.PatternType)
	}
	return pt, nil
}

func (fl *Flags) operations() ([]kmsg.ACLOperation, error) {
	if len(fl.Operations) == 0 {
		return []kmsg.ACLOperation{kmsg.ACLOperationAll}, nil
	}
	var ops []kmsg.ACLOperation
	for _, s := range fl.Operations {
		op, err := authz.ParseOperation(s)
		if err != nil {
			return nil, clierr.Usage(err)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// resources are the patterns (or, for --list and --remove, the pattern
// filters) the flags name.
func (fl *Flags) resources(pt kmsg.ACLResourcePatternType) []authz.Pattern {
	var out []authz.Pattern
	add := func(t kmsg.ACLResourceType, names []string) {
		for _, n := range names {
			out = append(out, authz.Pattern{Type: t, Name: n, PatternType: pt})
		}
	}
	add(kmsg.ACLResourceTypeTopic, fl.Topics)
	add(kmsg.ACLResourceTypeGroup, fl.Groups)
	if fl.Cluster {
		// The cluster is always a literal pattern.
		out = append(out, authz.Pattern{Type: kmsg.ACLResourceTypeCluster, Name: authz.ClusterName, PatternType: clusterPattern(pt)})
	}
	add(kmsg.ACLResourceTypeTransactionalId, fl.TransactionalIDs)
	add(kmsg.ACLResourceTypeDelegationToken, fl.DelegationTokens)
	add(kmsg.ACLResourceTypeUser, fl.UserPrincipals)
	return out
}

func clusterPattern(pt kmsg.ACLResourcePatternType) kmsg.ACLResourcePatternType {
	if pt == kmsg.ACLResourcePatternTypePrefixed {
		return kmsg.ACLResourcePatternTypeLiteral
	}
	return pt
}

// entries are the entries the principal, host and operation flags make,
// for operations ops.
func (fl *Flags) entries(ops []kmsg.ACLOperation) []authz.Entry {
	var out []authz.Entry
	add := func(principals, hosts []string, perm kmsg.ACLPermissionType) {
		if len(hosts) == 0 {
			hosts = []string{authz.Wildcard}
		}
		for _, p := range principals {
			for _, h := range hosts {
				for _, op := range ops {
					out = append(out, authz.Entry{Principal: p, Host: h, Operation: op, Permission: perm})
				}
			}
		}
	}
	add(fl.AllowPrincipals, fl.AllowHosts, kmsg.ACLPermissionTypeAllow)
	add(fl.DenyPrincipals, fl.DenyHosts, kmsg.ACLPermissionTypeDeny)
	return out
}

// Bindings are what --add creates: each resource with each entry, or the
// --producer / --consumer sets. An operation a resource type does not
// have is refused, as kafka-acls.sh refuses it.
func (fl *Flags) Bindings() ([]authz.Binding, error) {
	pt, err := fl.patternType()
	if err != nil {
		return nil, err
	}
	if fl.Producer || fl.Consumer {
		return fl.convenienceBindings(pt), nil
	}
	ops, err := fl.operations()
	if err != nil {
		return nil, err
	}
	var out []authz.Binding
	for _, p := range fl.resources(pt) {
		for _, e := range fl.entries(ops) {
			if !authz.Supports(p.Type, e.Operation) {
				return nil, clierr.Usagef("ResourceType %v only supports operations %s", p.Type, opNames(authz.SupportedOperations(p.Type)))
			}
			out = append(out, authz.Binding{Pattern: p, Entry: e})
		}
	}
	return out, nil
}

func opNames(ops []kmsg.ACLOperation) string {
	names := []string{"ALL"}
	for _, op := range ops {
		names = append(names, op.String())
	}
	return strings.Join(names, ",")
}

// convenienceBindings are --producer's and --consumer's ACLs.
func (fl *Flags) convenienceBindings(pt kmsg.ACLResourcePatternType) []authz.Binding {
	var out []authz.Binding
	grant := func(t kmsg.ACLResourceType, names []string, pt kmsg.ACLResourcePatternType, ops ...kmsg.ACLOperation) {
		for _, n := range names {
			for _, e := range fl.entries(ops) {
				out = append(out, authz.Binding{Pattern: authz.Pattern{Type: t, Name: n, PatternType: pt}, Entry: e})
			}
		}
	}
	if fl.Producer {
		grant(kmsg.ACLResourceTypeTopic, fl.Topics, pt, kmsg.ACLOperationWrite, kmsg.ACLOperationDescribe, kmsg.ACLOperationCreate)
		grant(kmsg.ACLResourceTypeTransactionalId, fl.TransactionalIDs, pt, kmsg.ACLOperationWrite, kmsg.ACLOperationDescribe)
		if fl.Idempotent {
			grant(kmsg.ACLResourceTypeCluster, []string{authz.ClusterName}, kmsg.ACLResourcePatternTypeLiteral, kmsg.ACLOperationIdempotentWrite)
		}
	}
	if fl.Consumer {
		grant(kmsg.ACLResourceTypeTopic, fl.Topics, pt, kmsg.ACLOperationRead, kmsg.ACLOperationDescribe)
		grant(kmsg.ACLResourceTypeGroup, fl.Groups, pt, kmsg.ACLOperationRead)
	}
	return out
}

// Filters are what --remove deletes: with principals, exactly the
// bindings --add would make; without, every ACL of each resource.
func (fl *Flags) Filters() ([]authz.Filter, error) {
	pt, err := fl.patternType()
	if err != nil {
		return nil, err
	}
	if len(fl.AllowPrincipals) > 0 || len(fl.DenyPrincipals) > 0 {
		bs, err := fl.bindingsAsFilters(pt)
		return bs, err
	}
	var out []authz.Filter
	for _, p := range fl.resources(pt) {
		out = append(out, authz.Filter{Type: p.Type, Name: p.Name, PatternType: p.PatternType,
			Operation: kmsg.ACLOperationAny, Permission: kmsg.ACLPermissionTypeAny})
	}
	return out, nil
}

func (fl *Flags) bindingsAsFilters(pt kmsg.ACLResourcePatternType) ([]authz.Filter, error) {
	saved := fl.PatternType
	defer func() { fl.PatternType = saved }()
	fl.PatternType = "literal" // Bindings checks operations; the pattern type is put back below
	bs, err := fl.Bindings()
	if err != nil {
		return nil, err
	}
	out := make([]authz.Filter, 0, len(bs))
	for _, b := range bs {
		t := pt
		if b.Pattern.Type == kmsg.ACLResourceTypeCluster {
			t = clusterPattern(pt)
		}
		out = append(out, authz.Filter{Type: b.Pattern.Type, Name: b.Pattern.Name, PatternType: t,
			Principal: b.Entry.Principal, Host: b.Entry.Host, Operation: b.Entry.Operation, Permission: b.Entry.Permission})
	}
	return out, nil
}

// ListFilters are what --list shows: the resources named (every ACL when
// none is), for each --principal.
func (fl *Flags) ListFilters() ([]authz.Filter, error) {
	pt, err := fl.patternType()
	if err != nil {
		return nil, err
	}
	resources := fl.resources(pt)
	if len(resources) == 0 {
		resources = []authz.Pattern{{Type: kmsg.ACLResourceTypeAny, PatternType: kmsg.ACLResourcePatternTypeAny}}
	}
	principals := fl.Principals
	if len(principals) == 0 {
		principals = []string{""}
	}
	var out []authz.Filter
	for _, p := range resources {
		for _, pr := range principals {
			out = append(out, authz.Filter{Type: p.Type, Name: p.Name, PatternType: p.PatternType, Principal: pr,
				Operation: kmsg.ACLOperationAny, Permission: kmsg.ACLPermissionTypeAny})
		}
	}
	return out, nil
}

const (
	anyOp   = kmsg.ACLOperationAny
	anyPerm = kmsg.ACLPermissionTypeAny
)
