// Package admin is kq's client side: the operations the CLI and the TUI run
// against a Kafka-compatible cluster, written over franz-go's kgo and kmsg and
// returning plain Go types, so that neither caller sees a protocol struct.
//
// # Pieces
//
//   - [ClientConfig] holds connection settings (brokers, TLS, SASL, timeouts).
//     [ParseProperties] reads a Kafka client .properties file and
//     [ClientConfigFromProperties] turns its keys into a ClientConfig, naming
//     the keys it does not know so callers can warn as Kafka's tools do.
//   - [Client] runs the admin operations: topics (list, describe, create,
//     delete, add partitions), configs (describe, incremental and legacy
//     alter), cluster (brokers, controller, cluster id) and offsets (earliest,
//     latest, by time). Every request is issued fresh, never from a metadata
//     cache, because a CLI command usually reads what the previous one wrote.
//   - [Producer] and [Consumer] move [Record] values; a record's Partition of
//     [AnyPartition] lets the partitioner choose, any other value is kept.
//
// # Errors
//
// Kafka error codes come back wrapped in Go errors with the operation and the
// resource named ("create topic t: TOPIC_ALREADY_EXISTS: ..."); the kerr
// value stays reachable through errors.Is. [Classify] sorts any error into the
// few classes a caller maps to exit codes: not found, auth, unreachable or
// timed out, and everything else.
//
// Nothing here imports cobra or bubbletea; the admintest package holds an
// in-memory implementation of the same operations for callers' tests.
package admin
