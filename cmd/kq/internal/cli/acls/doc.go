// Package acls is `kq acls`: kafka-acls.sh's flags and output over the
// brokers' CreateAcls, DescribeAcls and DeleteAcls, or over ZooKeeper
// directly (--zookeeper) to bootstrap a cluster's first ACLs.
//
// Flags become bindings and filters in bindings.go (pure, tested alone);
// acls.go parses them, run.go applies them through a store (store.go: the
// brokers or ZooKeeper) and print.go writes kafka-acls.sh's text or JSON
// and YAML.
package acls
