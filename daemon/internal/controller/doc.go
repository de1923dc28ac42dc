// Package controller is the cluster controller of Kafka's ZooKeeper mode.
//
// Every broker runs a Controller; the one that creates the ephemeral
// /controller node wins, bumps /controller_epoch and acts until its session
// ends. It watches the metadata store (live brokers, topics and their
// assignments, deletion requests), decides leaders, writes partition state
// znodes with compare-and-set, and tells brokers what to do with
// LeaderAndIsr, UpdateMetadata and StopReplica requests stamped with its
// epoch (brokers reject older epochs).
//
// All decisions happen on one goroutine (the event loop) that owns the
// controller context; watches only enqueue events. Requests to brokers go
// through a Sender: a direct call for the local broker, the broker-to-broker
// protocol for the others.
package controller
