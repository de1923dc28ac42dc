// Package znode owns Apache Kafka's ZooKeeper layout: every path kq reads
// or writes in the metadata store, and the JSON each node holds, encoded
// as Kafka 3.9 writes it so that Kafka's tools, zkCli.sh users and kq agree.
//
// Path builders (BrokerPath, TopicPath, PartitionStatePath, ConfigPath,
// ...) format names as given: callers validate topic names and sanitize
// config entity names first (a "/" in a name would make a deeper path).
// Sequential nodes are created from the *SeqPrefix paths; SequenceNumber
// reads the counter back.
//
// Each node type has an Encode method (or function, for plain values) and
// a Decode function taking the path it was read from. Decoders are strict
// where Kafka is: required fields must be present with the right JSON
// type, numbers must fit their Go type, trailing data is refused; unknown
// fields are ignored, as Kafka ignores them. Every decode failure wraps
// ErrMalformed and names the path.
//
// Versions written, and read:
//
//	node                                   writes  reads
//	/brokers/ids/<id>                      5       1-5
//	/brokers/topics/<t>                    3       1-3 (topic_id from 2)
//	/brokers/topics/<t>/partitions/<p>/state  1    1 (leader_recovery_state optional)
//	/controller                            2       1-2 (kraftControllerEpoch -1)
//	/config/<type>/<name>                  1       1
//	/config/changes/config_change_<n>      2       1-2
//	everything else                        1       1
//
// Kafka 3.9 writes /brokers/topics with version 3 and /controller with
// version 2; older 2.x brokers wrote 2 and 1. Both are read.
package znode
