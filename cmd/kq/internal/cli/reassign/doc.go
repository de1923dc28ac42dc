// Package reassign is `kq reassign`: partition reassignment with the
// options, JSON files and output of Kafka's kafka-reassign-partitions.sh
// (--generate, --execute, --verify, --cancel, --list), through the
// controller's AlterPartitionReassignments and ListPartitionReassignments
// APIs; -o json|yaml prints the same outcomes structured.
//
// --throttle sets Kafka's replication throttle configs (throttle.go) and
// --verify clears them. Moves between a broker's log dirs are not
// implemented: --replica-alter-log-dirs-throttle is accepted with a
// warning, and log_dirs other than "any" are refused.
package reassign
