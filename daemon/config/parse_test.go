package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseDefaults(t *testing.T) {
	b := mustParse(t, nil)
	checks := []struct {
		name      string
		got, want any
	}{
		{"BrokerID", b.BrokerID, int32(-1)},
		{"NeedsGeneratedID", b.NeedsGeneratedID(), true},
		{"NumPartitions", b.NumPartitions, int32(1)},
		{"DefaultReplicationFactor", b.DefaultReplicationFactor, int32(1)},
		{"AutoCreateTopicsEnable", b.AutoCreateTopicsEnable, true},
		{"DeleteTopicEnable", b.DeleteTopicEnable, true},
		{"LogDirs", b.LogDirs, []string{"/tmp/kafka-logs"}},
		{"SocketRequestMaxBytes", b.SocketRequestMaxBytes, int64(104857600)},
		{"ConnectionsMaxIdleMs", b.ConnectionsMaxIdleMs, int64(600000)},
		{"Listeners", b.Listeners, []Listener{{Name: "PLAINTEXT", Port: 9092}}},
		{"AdvertisedListeners", b.AdvertisedListeners, []Listener{{Name: "PLAINTEXT", Host: "broker.test", Port: 9092}}},
		{"InterBrokerListenerName", b.InterBrokerListenerName, "PLAINTEXT"},
		{"Embedded", b.Embedded(), true},
		{"ZooKeeperSessionTimeoutMs", b.ZooKeeperSessionTimeoutMs, int64(18000)},
		{"ZooKeeperConnectionTimeoutMs", b.ZooKeeperConnectionTimeoutMs, int64(18000)},
		{"LogRetentionCheckIntervalMs", b.LogRetentionCheckIntervalMs, int64(300000)},
		{"LogFlushOffsetCheckpointIntervalMs", b.LogFlushOffsetCheckpointIntervalMs, int64(60000)},
		{"ReplicaHighWatermarkCheckpointIntervalMs", b.ReplicaHighWatermarkCheckpointIntervalMs, int64(5000)},
		{"ReplicaLagTimeMaxMs", b.ReplicaLagTimeMaxMs, int64(30000)},
		{"OffsetsTopicNumPartitions", b.OffsetsTopicNumPartitions, int32(50)},
		{"OffsetsTopicReplicationFactor", b.OffsetsTopicReplicationFactor, int16(3)},
		{"OffsetsRetentionMs", b.OffsetsRetentionMs, int64(10080 * 60_000)},
		{"GroupInitialRebalanceDelayMs", b.GroupInitialRebalanceDelayMs, int64(3000)},
		{"TransactionStateLogMinISR", b.TransactionStateLogMinISR, int32(2)},
		{"ControlledShutdownEnable", b.ControlledShutdownEnable, true},
		{"AutoLeaderRebalanceEnable", b.AutoLeaderRebalanceEnable, true},
		{"FollowerReplicationThrottledRate", b.FollowerReplicationThrottledRate, int64(1<<63 - 1)},
		{"SegmentBytes", b.TopicDefaults().SegmentBytes, int64(1 << 30)},
		{"RetentionMs", b.TopicDefaults().RetentionMs, int64(168 * 3600_000)},
		{"RetentionBytes", b.TopicDefaults().RetentionBytes, int64(-1)},
		{"MaxMessageBytes", b.TopicDefaults().MaxMessageBytes, int64(1048588)},
		{"FileDeleteDelayMs", b.TopicDefaults().FileDeleteDelayMs, int64(60000)},
		{"CleanupPolicy", b.TopicDefaults().CleanupPolicy, []string{"delete"}},
		{"MinInsyncReplicas", b.TopicDefaults().MinInsyncReplicas, int32(1)},
		{"UncleanLeaderElectionEnable", b.TopicDefaults().UncleanLeaderElectionEnable, false},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestParseValueErrors(t *testing.T) {
	tests := []struct {
		key, value, want string
	}{
		{"num.partitions", "abc", "Invalid value abc for configuration num.partitions: Not a number of type INT"},
		{"num.partitions", "0", "Invalid value 0 for configuration num.partitions: Value must be at least 1"},
		{"num.partitions", "2147483648", "Invalid value 2147483648 for configuration num.partitions: Not a number of type INT"},
		{"log.retention.bytes", "1.5", "Invalid value 1.5 for configuration log.retention.bytes: Not a number of type LONG"},
		{"offsets.topic.replication.factor", "40000", "Invalid value 40000 for configuration offsets.topic.replication.factor: Not a number of type SHORT"},
		{"offsets.topic.replication.factor", "0", "Invalid value 0 for configuration offsets.topic.replication.factor: Value must be at least 1"},
		{"auto.create.topics.enable", "yes", "Invalid value yes for configuration auto.create.topics.enable: Expected value to be either true or false"},
		{"log.cleaner.min.cleanable.ratio", "1.5", "Invalid value 1.5 for configuration log.cleaner.min.cleanable.ratio: Value must be no more than 1"},
		{"log.cleaner.min.cleanable.ratio", "x", "Invalid value x for configuration log.cleaner.min.cleanable.ratio: Not a number of type DOUBLE"},
		{"log.cleanup.policy", "delete,foo", "Invalid value foo for configuration log.cleanup.policy: String must be one of: compact, delete"},
		{"compression.type", "brotli", "Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer"},
		{"compression.gzip.level", "10", "Invalid value 10 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1"},
		{"log.message.timestamp.type", "createtime", "Invalid value createtime for configuration log.message.timestamp.type: String must be one of: CreateTime, LogAppendTime"},
		{"log.segment.bytes", "13", "Invalid value 13 for configuration log.segment.bytes: Value must be at least 14"},
		{"message.max.bytes", "-1", "Invalid value -1 for configuration message.max.bytes: Value must be at least 0"},
		{"min.insync.replicas", "0", "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1"},
		{"inter.broker.protocol.version", "three", "Invalid value three for configuration inter.broker.protocol.version: Version three is not a valid version"},
		{"broker.id", "-2", "broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id (broker.id=-2, reserved.broker.max.id=1000)"},
		{"log.dirs", " , ", "At least one log directory must be defined via log.dirs or log.dir."},
		{"log.dirs", "/a,/b/,/a", "Invalid value /a,/b/,/a for configuration log.dirs: Duplicate log directory found: /a"},
		{"zookeeper.connect", "zk1:2181,,zk2", "Invalid value zk1:2181,,zk2 for configuration zookeeper.connect: empty server in the server list"},
		{"zookeeper.connect", "zk1:2181/kq/", "Invalid value zk1:2181/kq/ for configuration zookeeper.connect: chroot path /kq/ must not end with / or contain an empty node"},
		{"remote.log.storage.system.enable", "true", "Invalid value true for configuration remote.log.storage.system.enable: kq does not implement tiered storage"},
		{"max.connections.per.ip.overrides", "host1", "Invalid value host1 for configuration max.connections.per.ip.overrides: Error parsing configuration property 'max.connections.per.ip.overrides': entry 'host1' is not of the form host:count"},
		{"max.connections.per.ip", "0", "Invalid value 0 for configuration max.connections.per.ip: max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property is set."},
		{"replica.fetch.wait.max.ms", "40000", "replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary socket timeouts"},
		{"offsets.commit.required.acks", "5", "Invalid value 5 for configuration offsets.commit.required.acks: offsets.commit.required.acks must be greater or equal -1 and less or equal to offsets.topic.replication.factor"},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			_, _, err := ParseWithOptions(map[string]string{tt.key: tt.value}, testOptions)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v\nwant %s", err, tt.want)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err %T is not a *ConfigError", err)
			}
		})
	}
}

func TestParseJoinsAllErrors(t *testing.T) {
	_, _, err := Parse(map[string]string{"num.partitions": "x", "num.io.threads": "0", "delete.topic.enable": "2"})
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{
		"Invalid value x for configuration num.partitions: Not a number of type INT",
		"Invalid value 2 for configuration delete.topic.enable: Expected value to be either true or false",
		"Invalid value 0 for configuration num.io.threads: Value must be at least 1",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("errors:\n%s\nwant (table order):\n%s", err, strings.Join(want, "\n"))
	}
}

func TestParseValueSyntax(t *testing.T) {
	b := mustParse(t, map[string]string{
		"num.partitions":            " 12 ",
		"auto.create.topics.enable": "FALSE",
		"log.cleanup.policy":        "compact , delete",
		"broker.rack":               "\track-1 ",
		"log.dirs":                  " /data/a , /data/b ,",
		"broker.id":                 "+7",
		"zookeeper.connect":         "zk1:2181, zk2:2181/kafka/prod",
	})
	if b.NumPartitions != 12 || b.AutoCreateTopicsEnable || b.Rack != "rack-1" || b.BrokerID != 7 {
		t.Errorf("got partitions=%d autocreate=%v rack=%q id=%d", b.NumPartitions, b.AutoCreateTopicsEnable, b.Rack, b.BrokerID)
	}
	if !reflect.DeepEqual(b.TopicDefaults().CleanupPolicy, []string{"compact", "delete"}) {
		t.Errorf("cleanup policy = %q", b.TopicDefaults().CleanupPolicy)
	}
	if !b.TopicDefaults().Compact() || !b.TopicDefaults().Delete() {
		t.Error("policy compact,delete should both compact and delete")
	}
	if !reflect.DeepEqual(b.LogDirs, []string{"/data/a", "/data/b"}) {
		t.Errorf("log dirs = %q", b.LogDirs)
	}
	if !reflect.DeepEqual(b.ZooKeeperServers, []string{"zk1:2181", "zk2:2181"}) || b.ZooKeeperChroot != "/kafka/prod" || b.Embedded() {
		t.Errorf("zookeeper servers %q chroot %q", b.ZooKeeperServers, b.ZooKeeperChroot)
	}
}

func TestParseWarnings(t *testing.T) {
	_, warnings, err := ParseWithOptions(map[string]string{
		"process.roles":                       "broker",
		"node.id":                             "1",
		"controller.quorum.voters":            "1@localhost:9093",
		"bootstrap.servers":                   "localhost:9092",
		"my.custom.key":                       "x",
		"follower.replication.throttled.rate": "100",
		"listener.name.internal.ssl.keystore.location": "/ks",
		"ssl.keystore.location":                        "/ks",
		"ssl.client.auth":                              "none",
		"sasl.enabled.mechanisms":                      "PLAIN",
		"listener.name.internal.num.network.threads":   "3",
		"num.io.threads":                               "16",
	}, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"bootstrap.servers":                          "is a client setting, not a broker setting; ignored",
		"controller.quorum.voters":                   "is a KRaft setting; kq runs in ZooKeeper mode and ignores it",
		"follower.replication.throttled.rate":        "can only be set dynamically (AlterConfigs, kafka-configs --alter --entity-type brokers); ignored here",
		"listener.name.internal.num.network.threads": "per-listener override kept but not applied: kq applies listener.name.<listener>.ssl.* and SASL overrides only",
		"my.custom.key":                              "The configuration 'my.custom.key' was supplied but isn't a known config.",
		"node.id":                                    "is a KRaft setting; kq runs in ZooKeeper mode and ignores it",
		"process.roles":                              "is a KRaft setting; kq runs in ZooKeeper mode and ignores it",
	}
	got := map[string]string{}
	for i, w := range warnings {
		got[w.Key] = w.Message
		if i > 0 && warnings[i-1].Key >= w.Key {
			t.Errorf("warnings not sorted: %s before %s", warnings[i-1].Key, w.Key)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("warnings:\n got %v\nwant %v", got, want)
	}
}

func TestParseKeepsUnknownKeys(t *testing.T) {
	b := mustParse(t, map[string]string{"my.custom.key": "x", "follower.replication.throttled.rate": "100"})
	if v, ok := b.Value("my.custom.key"); !ok || v != "x" {
		t.Errorf("Value(my.custom.key) = %q, %v", v, ok)
	}
	if b.FollowerReplicationThrottledRate != 1<<63-1 {
		t.Errorf("a static dynamic-only key was applied: %d", b.FollowerReplicationThrottledRate)
	}
	res := b.Resolved()
	if res["my.custom.key"] != "x" || res["num.partitions"] != "1" {
		t.Errorf("Resolved lacks keys: %v", res["my.custom.key"])
	}
	if _, ok := res["log.retention.ms"]; ok {
		t.Error("Resolved holds null log.retention.ms")
	}
}

func TestBrokerIDRules(t *testing.T) {
	tests := []struct {
		props map[string]string
		ok    bool
	}{
		{map[string]string{"broker.id": "0"}, true},
		{map[string]string{"broker.id": "1000"}, true},
		{map[string]string{"broker.id": "1001"}, false},
		{map[string]string{"broker.id": "1001", "reserved.broker.max.id": "2000"}, true},
		{map[string]string{"broker.id": "5000", "broker.id.generation.enable": "false"}, true},
		{map[string]string{"broker.id": "-1", "broker.id.generation.enable": "false"}, false},
	}
	for _, tt := range tests {
		_, _, err := ParseWithOptions(tt.props, testOptions)
		if (err == nil) != tt.ok {
			t.Errorf("Parse(%v) err = %v, want ok=%v", tt.props, err, tt.ok)
		}
	}
	b := mustParse(t, nil).WithBrokerID(1001)
	if b.BrokerID != 1001 || b.NeedsGeneratedID() {
		t.Errorf("WithBrokerID: id %d needs generated %v", b.BrokerID, b.NeedsGeneratedID())
	}
}

func TestJavaDouble(t *testing.T) {
	tests := map[float64]string{
		0: "0.0", 0.5: "0.5", 1: "1.0", 100: "100.0", 1e7: "1.0E7", 1.7976931348623157e308: "1.7976931348623157E308",
		0.0001: "1.0E-4", -2.5: "-2.5", 123456.789: "123456.789",
	}
	for f, want := range tests {
		if got := javaDouble(f); got != want {
			t.Errorf("javaDouble(%v) = %q, want %q", f, got, want)
		}
	}
}
