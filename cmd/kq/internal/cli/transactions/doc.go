// Package transactions is `kq transactions`, kafka-transactions.sh's
// commands: list the transactional ids of the coordinators, describe one,
// describe a partition's active producers, find hanging transactions (open
// on a partition, forgotten by their coordinator, holding back the last
// stable offset and so every read_committed consumer) and abort one by
// writing its ABORT marker. Tables are Kafka's (its column names,
// tab-separated, padded); -o json|yaml prints the same data structured.
package transactions
