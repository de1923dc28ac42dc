// Package daemon is the kq broker: it ties the network server, the request
// handlers, the replica manager, the partition logs, the metadata store
// session and the controller together, and runs them until told to stop.
//
// Start-up order matters and follows Kafka's: connect to the metadata store,
// read (or create) the cluster id and check it against meta.properties,
// open and recover the logs, bind the listeners, and only then register the
// broker (an ephemeral /brokers/ids/<id>) so no client is sent here before
// it can serve. Shutdown runs the other way: deregister, let in-flight
// requests finish, flush the logs and write the clean-shutdown marker.
package daemon
