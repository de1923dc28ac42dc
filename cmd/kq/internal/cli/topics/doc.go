// Package topics is `kq topics`: list, describe, create, alter (add
// partitions) and delete topics.
//
// Two spellings run the same code. Kafka's kafka-topics mode flags
// (kq topics --create --topic t --partitions 3) are parsed by the noun
// command into the verb's Options; the noun-verb subcommands (kq topics
// create t -p 3) fill the same Options from their own flags. Each verb has
// an Options struct, NewCmdX(f, runF) and xRun(opts).
package topics
