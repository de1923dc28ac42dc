// Package leaderelection is `kq leader-election`: a preferred or unclean
// leader election through the controller (the ElectLeaders API), with the
// options and output of Kafka's kafka-leader-election.sh, or -o json|yaml
// for the same outcome structured.
package leaderelection
