// Package admintest is an in-memory cluster with the same operations as
// admin.Client, admin.Producer and admin.Consumer, for tests of code that
// drives a cluster (the CLI, the TUI) without a broker.
//
// It keeps topics, partitions, configs and records in memory, answers with
// the same Kafka errors (wrapped kerr values) as a broker would for the common
// mistakes, and lets a test inject a failure per operation with Fail.
package admintest
