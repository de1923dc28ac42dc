// Package controller is the cluster controller of Kafka's ZooKeeper mode.
//
// Every broker runs a Controller; the one that creates the ephemeral
// /controller node wins, bumps /controller_epoch and acts until its session
// ends. It watches the metadata store (live brokers, topics and their
// assignments, deletion requests, ISR change notifications, reassignment
// and preferred-election requests), decides leaders, writes partition
// state znodes with compare-and-set, and tells brokers what to do with
// LeaderAndIsr, UpdateMetadata and StopReplica requests stamped with its
// epoch (brokers reject older epochs).
//
// # Core and driver
//
// The package is split as etcd's raft is. The core (core*.go) holds every
// decision: leader election (clean, unclean, preferred, controlled
// shutdown), ISR shrinking when brokers go, topic creation and deletion,
// the phases of a partition reassignment, the leader-imbalance check. It
// is a state machine: Step takes one Event and returns a Ready, the
// Effects to carry out. It starts no goroutine, reads no clock, and
// touches neither the store nor the network, so its tests feed it events
// and compare the effects with transcripts (testdata/, run by
// TestTranscripts).
//
// The driver (driver*.go, the loop of one controller epoch) is the only
// goroutine that steps the core. A watch that fires or a timer only
// enqueues an event; the loop reads what changed, steps the core with it,
// and carries out the effects:
//
//   - The effects of a Ready are carried out in order. Every store effect
//     has an EffectID; its Result (ok, conflict, exists, gone, fenced) is
//     stepped back, in order, after the Ready's effects ran, and the loop
//     steps nothing else until the core is idle again.
//   - The core emits a Send describing a partition state only after the
//     write of that state succeeded: the driver persists the state BEFORE
//     sending what announces it. An operation's LeaderAndIsr and
//     StopReplica go before its UpdateMetadata.
//   - A compare-and-set that finds another version (a leader changed the
//     ISR) is a conflict the core answers with a re-read of that one
//     partition and a new decision, a bounded number of times.
//   - A write refused by its /controller_epoch check is fenced: the core
//     drops the operation and asks to Resign; the driver ends the loop and
//     the Controller gives /controller up and campaigns again.
//   - Other store errors are retried by the driver a few times; if they
//     persist the loop ends the same way, and the next controller epoch
//     reads everything afresh.
//
// Requests to brokers go through per-broker queues (channels.go), so a
// slow broker never stalls the loop: the local broker by a direct call,
// the others over the broker-to-broker protocol (the Sender).
package controller
