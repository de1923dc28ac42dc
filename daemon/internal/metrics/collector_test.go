package metrics

import (
	"testing"
)

func TestCollector(t *testing.T) {
	leader := func(topic string, p int32, replicas, isr, minIsr int) Partition {
		return Partition{Topic: topic, Partition: p, Leader: true, Replicas: replicas, ISR: isr, MinInsync: minIsr}
	}
	follower := Partition{Topic: "b", Partition: 1, Replicas: 3, ISR: 1, MinInsync: 2, HighWatermark: 40}
	tests := []struct {
		name string
		src  fakeSource
		want map[string]float64
		// absent are series that must not be exported.
		absent []string
	}{
		{
			name: "replica gauges count partitions led here only",
			src:  fakeSource{parts: []Partition{leader("a", 0, 3, 3, 2), leader("a", 1, 3, 2, 2), leader("b", 0, 3, 1, 2), follower}},
			want: map[string]float64{
				"kafka_server_replicamanager_partitioncount":                       4,
				"kafka_server_replicamanager_leadercount":                          3,
				"kafka_server_replicamanager_underreplicatedpartitions":            2,
				"kafka_server_replicamanager_underminisrpartitioncount":            1,
				"kafka_server_replicamanager_atminisrpartitioncount":               1,
				`kafka_cluster_partition_underreplicated{partition="0",topic="a"}`: 0,
				`kafka_cluster_partition_underreplicated{partition="1",topic="a"}`: 1,
				`kafka_cluster_partition_underreplicated{partition="0",topic="b"}`: 1,
				"kafka_controller_kafkacontroller_activecontrollercount":           0,
				"kafka_controller_kafkacontroller_offlinepartitionscount":          0,
			},
			absent: []string{`kafka_cluster_partition_underreplicated{partition="1",topic="b"}`},
		},
		{
			name: "meters summed per topic and over all topics",
			src: fakeSource{parts: []Partition{
				{Topic: "b", Partition: 0, MessagesIn: 5, BytesIn: 500, BytesOut: 50},
				{Topic: "a", Partition: 0, MessagesIn: 1, BytesIn: 100, BytesOut: 10},
				{Topic: "b", Partition: 1, MessagesIn: 2, BytesIn: 200, BytesOut: 20},
			}},
			want: map[string]float64{
				`kafka_server_brokertopicmetrics_messagesin_total{topic="a"}`: 1,
				`kafka_server_brokertopicmetrics_messagesin_total{topic="b"}`: 7,
				`kafka_server_brokertopicmetrics_messagesin_total{topic=""}`:  8,
				`kafka_server_brokertopicmetrics_bytesin_total{topic="b"}`:    700,
				`kafka_server_brokertopicmetrics_bytesout_total{topic=""}`:    80,
			},
		},
		{
			name: "log gauges per hosted replica",
			src:  fakeSource{parts: []Partition{{Topic: "a", Partition: 2, LogStartOffset: 3, LogEndOffset: 9, Size: 1234, Segments: 2}}},
			want: map[string]float64{
				`kafka_log_log_size{partition="2",topic="a"}`:           1234,
				`kafka_log_log_logendoffset{partition="2",topic="a"}`:   9,
				`kafka_log_log_logstartoffset{partition="2",topic="a"}`: 3,
				`kafka_log_log_numlogsegments{partition="2",topic="a"}`: 2,
			},
		},
		{
			name: "lag against hosted high watermarks, never negative",
			src: fakeSource{
				parts: []Partition{follower, {Topic: "c", Partition: 0, HighWatermark: 5}},
				offsets: []GroupOffset{
					{Group: "g", Topic: "b", Partition: 1, Offset: 30},
					{Group: "g", Topic: "c", Partition: 0, Offset: 7},
					{Group: "h", Topic: "elsewhere", Partition: 0, Offset: 3},
				},
			},
			want: map[string]float64{
				`kafka_consumergroup_lag{consumergroup="g",partition="1",topic="b"}`:                    10,
				`kafka_consumergroup_lag{consumergroup="g",partition="0",topic="c"}`:                    0,
				`kafka_consumergroup_current_offset{consumergroup="h",partition="0",topic="elsewhere"}`: 3,
			},
			absent: []string{`kafka_consumergroup_lag{consumergroup="h",partition="0",topic="elsewhere"}`},
		},
		{
			name: "controller, ISR changes and queue",
			src:  fakeSource{active: true, offline: 4, shrinks: 2, expands: 3, queued: 7, state: BrokerRunning},
			want: map[string]float64{
				"kafka_controller_kafkacontroller_activecontrollercount":  1,
				"kafka_controller_kafkacontroller_offlinepartitionscount": 4,
				"kafka_server_replicamanager_isrshrinks_total":            2,
				"kafka_server_replicamanager_isrexpands_total":            3,
				"kafka_network_requestchannel_requestqueuesize":           7,
				"kafka_server_kafkaserver_brokerstate":                    3,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := gather(t, NewCollector(&tt.src))
			for name, want := range tt.want {
				if v, ok := got[name]; !ok || v != want {
					t.Errorf("%s = %v (present %v), want %v", name, v, ok, want)
				}
			}
			for _, name := range tt.absent {
				if _, ok := got[name]; ok {
					t.Errorf("%s exported, want absent", name)
				}
			}
		})
	}
}
