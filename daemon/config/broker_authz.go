package config

import "strings"

// Authorizer class names kq accepts for its ACL authorizer: Kafka 3.9's,
// its pre-2.4 name, and kq's own.
var authorizerClassNames = []string{
	"", "kafka.security.authorizer.AclAuthorizer", "kafka.security.auth.SimpleAclAuthorizer", "kq.authz.AclAuthorizer",
}

// Authorization is the authorizer's configuration (Kafka's AclAuthorizer
// reads super.users and allow.everyone.if.no.acl.found from the broker
// config).
type Authorization struct {
	// AuthorizerClassName is authorizer.class.name; "" disables
	// authorization (every request allowed).
	AuthorizerClassName string
	// SuperUsers is super.users, split at semicolons as Kafka does.
	SuperUsers []string
	// AllowEveryoneIfNoACLFound is allow.everyone.if.no.acl.found.
	AllowEveryoneIfNoACLFound bool
}

// AuthorizerEnabled reports whether requests are checked against ACLs.
func (a Authorization) AuthorizerEnabled() bool { return a.AuthorizerClassName != "" }

func authorizationDefs() []Def {
	return []Def{
		{Name: "authorizer.class.name", Type: typeString, Default: "", valid: oneOf(authorizerClassNames), Importance: Low,
			Doc: "Authorizer: kafka.security.authorizer.AclAuthorizer checks every request against the ACLs in ZooKeeper; empty allows everything."},
		{Name: "super.users", Type: typeString, Default: "", Importance: Low,
			Doc: "Principals allowed every operation, separated by semicolons (User:admin;User:ANONYMOUS)."},
		{Name: "allow.everyone.if.no.acl.found", Type: typeBool, Default: "false", Importance: Low,
			Doc: "Allow an operation on a resource no ACL names; false denies it."},
	}
}

func fillAuthorization(r *reader) Authorization {
	a := Authorization{
		AuthorizerClassName:       strings.TrimSpace(r.str("authorizer.class.name")),
		AllowEveryoneIfNoACLFound: r.bool("allow.everyone.if.no.acl.found"),
	}
	for _, p := range strings.Split(r.str("super.users"), ";") {
		if p = strings.TrimSpace(p); p != "" {
			a.SuperUsers = append(a.SuperUsers, p)
		}
	}
	return a
}
