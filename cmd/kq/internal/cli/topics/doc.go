// Package topics is `kq topics`: list, describe, create, alter (add
// partitions) and delete topics.
//
// Two spellings run the same code. Kafka's kafka-topics mode flags
// (kq topics --create --topic t --partitions 3) are parsed by the noun
// command into the verb's Options; the noun-verb subcommands (kq topics
// create t -p 3) fill the same Options from their own flags. Each verb has
// an Options struct, NewCmdX(f, runF) and xRun(opts).
//
// Every verb talks to the cluster through topicsAdmin, chosen per
// invocation by adminFrom: the brokers' admin client, or, with --zookeeper
// (or KQ_ZOOKEEPER without --bootstrap-server), zooKeeperAdmin, which
// works on Kafka's znodes directly as kafka-topics --zookeeper did. It
// checks a request as the broker's CreateTopics, CreatePartitions and
// DeleteTopics handlers do, with their messages, then writes the
// assignment and config znodes (or the deletion marker) and returns; the
// brokers' controller elects leaders and carries out deletions. Describe
// reads leaders and ISRs from the partition state znodes, replicas from
// the assignment and overrides from /config/topics. Refused input exits 2,
// a missing topic 3, an unreachable ZooKeeper 5.
package topics
