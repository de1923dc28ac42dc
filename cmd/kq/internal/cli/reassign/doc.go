// Package reassign is `kq reassign`: partition reassignment with the
// options, JSON files and output of Kafka's kafka-reassign-partitions.sh
// (--generate, --execute, --verify, --cancel, --list), through the
// controller's AlterPartitionReassignments and ListPartitionReassignments
// APIs; -o json|yaml prints the same outcomes structured.
//
// Replication throttles and moves between a broker's log dirs are not
// implemented: --throttle and --replica-alter-log-dirs-throttle are
// accepted with a warning, and log_dirs other than "any" are refused.
package reassign
