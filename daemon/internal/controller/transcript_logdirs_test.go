package controller

import (
	"fmt"

	"github.com/cockroachdb/datadriven"
)

// log-dir-event 2 [3...]: the brokers named wrote a log dir event
// notification each.
func cmdLogDirEvent(r *runner, d *datadriven.TestData) (Event, error) {
	var ev LogDirEventsRead
	for i, a := range d.CmdArgs {
		id, err := parseID(a.Key)
		if err != nil {
			return nil, err
		}
		ev.Names = append(ev.Names, fmt.Sprintf("log_dir_event_%010d", i))
		ev.Brokers = append(ev.Brokers, id)
	}
	return ev, nil
}

// replicas-offline broker=N t/0 t/1: broker N answered LeaderAndIsr with
// KAFKA_STORAGE_ERROR for these partitions.
func cmdReplicasOffline(r *runner, d *datadriven.TestData) (Event, error) {
	var id int
	d.ScanArgs(r.t, "broker", &id)
	var tps []TopicPartition
	for _, a := range d.CmdArgs {
		if a.Key == "broker" {
			continue
		}
		tp, err := parseTP(a.Key)
		if err != nil {
			return nil, err
		}
		tps = append(tps, tp)
	}
	return ReplicasOffline{Broker: int32(id), Partitions: tps}, nil
}
