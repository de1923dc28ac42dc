// Package authz is the broker's authorizer: Kafka's AclAuthorizer over
// ACLs kept in ZooKeeper (/kafka-acl, /kafka-acl-extended), cached in
// memory and swapped whole on every change so a check never takes a lock.
//
// A check (Authorizer.Authorize) asks whether a principal, connecting from
// a host, may perform an operation on a named resource. It is allowed when
//
//   - the principal is in super.users, or
//   - no Deny ACL matches, and an Allow ACL matches (directly, through All,
//     or through an operation that implies the one asked: Read, Write,
//     Delete and Alter imply Describe; AlterConfigs implies
//     DescribeConfigs), or no ACL at all names the resource and
//     allow.everyone.if.no.acl.found is true.
//
// ACLs name resources by pattern: LITERAL (the exact name, or "*" for
// every resource of the type) or PREFIXED. An ACL's principal is
// "User:NAME" or "User:*"; its host an IP address or "*".
//
// The cache is a Snapshot: per resource type, a map from literal name to
// ACLs, the wildcard ACLs, and a map from prefix to ACLs with the set of
// prefix lengths present, so a check costs a few map lookups and a scan
// of the ACLs that match the name, and allocates nothing.
package authz
