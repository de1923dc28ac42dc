package config

import "testing"

// typicalProps is the shape of a stock server.properties.
var typicalProps = map[string]string{
	"broker.id": "0", "num.network.threads": "3", "num.io.threads": "8",
	"socket.send.buffer.bytes": "102400", "socket.receive.buffer.bytes": "102400",
	"socket.request.max.bytes": "104857600", "log.dirs": "/var/lib/kq/data",
	"num.partitions": "1", "num.recovery.threads.per.data.dir": "1",
	"offsets.topic.replication.factor": "1", "transaction.state.log.replication.factor": "1",
	"transaction.state.log.min.isr": "1", "log.retention.hours": "168",
	"log.retention.check.interval.ms": "300000", "zookeeper.connect": "localhost:2181",
	"zookeeper.connection.timeout.ms": "18000", "group.initial.rebalance.delay.ms": "0",
}

// BenchmarkParse measures a broker start's config parse.
func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, _, err := ParseWithOptions(typicalProps, testOptions); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEffectiveTopicConfig measures the per-partition cost when a
// broker loads its logs.
func BenchmarkEffectiveTopicConfig(b *testing.B) {
	br, _, err := ParseWithOptions(typicalProps, testOptions)
	if err != nil {
		b.Fatal(err)
	}
	overrides := map[string]string{"retention.ms": "86400000", "cleanup.policy": "compact", "segment.bytes": "104857600"}
	for b.Loop() {
		if _, err := br.EffectiveTopicConfig(overrides); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDescribeBroker measures DescribeConfigs of every broker key with
// synonyms, the largest answer a client can ask for.
func BenchmarkDescribeBroker(b *testing.B) {
	br, _, err := ParseWithOptions(typicalProps, testOptions)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		br.DescribeBroker(nil, true, true)
	}
}
