// Package placement decides where the replicas of new partitions go and
// which topic names are legal, with Apache Kafka's rules, so a topic created
// through kq is laid out as Kafka would lay it out.
//
// Assign follows Kafka's AdminUtils: brokers sorted by id (or alternated by
// rack when every broker has broker.rack), partition i's first replica on
// broker (start+i) mod n, followers shifted by a per-topic offset so that the
// followers of one leader do not all sit on the next broker. The package has
// no state and no I/O.
package placement
