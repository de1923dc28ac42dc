// Package kafkazk reads and writes Kafka's cluster metadata in the metadata
// store, in Kafka's ZooKeeper layout, with typed operations (Kafka's
// KafkaZkClient and AdminZkClient): broker registration, controller
// election and epoch, topic assignments and partition states, deletion
// requests, entity configs with change notifications, and producer-id
// blocks. It works on any meta.Store: the embedded one or ZooKeeper.
//
// The controller uses it through controller.Store, the request handlers
// through handler.Admin, and the CLI's --zookeeper mode directly.
package kafkazk
