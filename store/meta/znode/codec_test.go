package znode

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// The JSON below is what Kafka writes (ZkData.scala), with kq's fixed key
// order where Kafka's is a hash map's.

func TestBrokerRegistration(t *testing.T) {
	b := BrokerRegistration{
		ID: 1, JMXPort: -1, Timestamp: 1700000000123,
		Endpoints: []Endpoint{
			{Listener: "PLAINTEXT", SecurityProtocol: "PLAINTEXT", Host: "h", Port: 9092},
			{Listener: "INTERNAL", SecurityProtocol: "SASL_SSL", Host: "::1", Port: 9093},
		},
	}
	want := `{"version":5,"host":"h","port":9092,"jmx_port":-1,"timestamp":"1700000000123",` +
		`"endpoints":["PLAINTEXT://h:9092","INTERNAL://[::1]:9093"],` +
		`"listener_security_protocol_map":{"INTERNAL":"SASL_SSL","PLAINTEXT":"PLAINTEXT"},"rack":null,"features":{}}`
	if got := string(b.Encode()); got != want {
		t.Fatalf("Encode:\n got %s\nwant %s", got, want)
	}
	got, err := DecodeBrokerRegistration("/brokers/ids/1", []byte(want))
	b.Version, b.Features = 5, map[string]FeatureRange{}
	if err != nil || !reflect.DeepEqual(got, b) {
		t.Fatalf("Decode = %+v, %v\nwant %+v", got, err, b)
	}
}

func TestDecodeBrokerRegistrationKafka(t *testing.T) {
	tests := []struct {
		name string
		json string
		want BrokerRegistration
	}{
		{"kafka 3.9, no rack", `{"features":{"metadata.version":{"min_version":1,"max_version":21}},` +
			`"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://kafka-1:9092"],` +
			`"jmx_port":-1,"port":9092,"host":"kafka-1","version":5,"timestamp":"1680000000000"}`,
			BrokerRegistration{ID: 7, Version: 5, JMXPort: -1, Timestamp: 1680000000000,
				Endpoints: []Endpoint{{"PLAINTEXT", "PLAINTEXT", "kafka-1", 9092}},
				Features:  map[string]FeatureRange{"metadata.version": {1, 21}}}},
		{"version 4 with rack, no protocol map", `{"version":4,"host":null,"port":-1,"jmx_port":9999,` +
			`"timestamp":"1","endpoints":["SSL://b:9093"],"rack":"dc1"}`,
			BrokerRegistration{ID: 7, Version: 4, JMXPort: 9999, Timestamp: 1, Rack: "dc1",
				Endpoints: []Endpoint{{"SSL", "SSL", "b", 9093}}}},
		{"version 1", `{"version":1,"host":"old","port":9092,"jmx_port":-1,"timestamp":"2"}`,
			BrokerRegistration{ID: 7, Version: 1, JMXPort: -1, Timestamp: 2,
				Endpoints: []Endpoint{{"PLAINTEXT", "PLAINTEXT", "old", 9092}}}},
	}
	for _, tt := range tests {
		got, err := DecodeBrokerRegistration("/brokers/ids/7", []byte(tt.json))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Decode = %+v, %v\nwant %+v", tt.name, got, err, tt.want)
		}
	}
}

func TestTopicAssignment(t *testing.T) {
	id, _ := ParseTopicID("q3BWeyk0RtyJq2KdwBunEg")
	a := TopicAssignment{TopicID: id, Partitions: map[int32][]int32{0: {1, 2}, 1: {2, 0}, 10: {0, 1}}}
	want := `{"version":3,"topic_id":"q3BWeyk0RtyJq2KdwBunEg","partitions":{"0":[1,2],"1":[2,0],"10":[0,1]},"adding_replicas":{},"removing_replicas":{}}`
	if got := string(a.Encode()); got != want {
		t.Fatalf("Encode:\n got %s\nwant %s", got, want)
	}
	got, err := DecodeTopicAssignment("/brokers/topics/t", []byte(want))
	a.Version, a.Adding, a.Removing = 3, map[int32][]int32{}, map[int32][]int32{}
	if err != nil || !reflect.DeepEqual(got, a) {
		t.Fatalf("Decode = %+v, %v", got, err)
	}
	old := `{"version":1,"partitions":{"0":[1]}}`
	got, err = DecodeTopicAssignment("/brokers/topics/t", []byte(old))
	if err != nil || got.Version != 1 || !got.TopicID.IsZero() || !reflect.DeepEqual(got.Partitions, map[int32][]int32{0: {1}}) {
		t.Fatalf("Decode version 1 = %+v, %v", got, err)
	}
}

func TestPartitionState(t *testing.T) {
	s := PartitionState{Leader: 1, LeaderEpoch: 3, ISR: []int32{1, 2}, ControllerEpoch: 7}
	want := `{"version":1,"leader":1,"leader_epoch":3,"isr":[1,2],"controller_epoch":7}`
	if got := string(s.Encode()); got != want {
		t.Fatalf("Encode:\n got %s\nwant %s", got, want)
	}
	got, err := DecodePartitionState("/p", []byte(`{"controller_epoch":7,"leader":1,"version":1,"leader_epoch":3,"isr":[1,2]}`))
	if err != nil || !reflect.DeepEqual(got, s) {
		t.Fatalf("Decode = %+v, %v", got, err)
	}
	s = PartitionState{Leader: -1, ISR: nil, LeaderRecoveryState: 1}
	want = `{"version":1,"leader":-1,"leader_epoch":0,"isr":[],"controller_epoch":0,"leader_recovery_state":1}`
	if got := string(s.Encode()); got != want {
		t.Fatalf("Encode recovering:\n got %s\nwant %s", got, want)
	}
}

func TestSmallCodecs(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"controller", Controller{BrokerID: 1, Timestamp: 42}.Encode(),
			`{"version":2,"brokerid":1,"timestamp":"42","kraftControllerEpoch":-1}`},
		{"controller epoch", EncodeControllerEpoch(7), `7`},
		{"cluster id", ClusterID{ID: "abcdefghijklmnopqrstuv"}.Encode(), `{"version":"1","id":"abcdefghijklmnopqrstuv"}`},
		{"config", EncodeConfig(map[string]string{"retention.ms": "86400000", "cleanup.policy": "compact"}),
			`{"version":1,"config":{"cleanup.policy":"compact","retention.ms":"86400000"}}`},
		{"empty config", EncodeConfig(nil), `{"version":1,"config":{}}`},
		{"config change", ConfigChange{EntityType: "brokers", EntityName: "<default>"}.Encode(),
			`{"version":2,"entity_path":"brokers/<default>"}`},
		{"isr change", EncodeIsrChange([]TopicPartition{{"t", 0}}), `{"version":1,"partitions":[{"topic":"t","partition":0}]}`},
		{"preferred election", EncodePreferredReplicaElection(nil), `{"version":1,"partitions":[]}`},
		{"reassign", EncodeReassignPartitions([]PartitionReplicas{{"t", 0, []int32{1, 2}}}),
			`{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2]}]}`},
		{"log dir event", EncodeLogDirEvent(1), `{"version":1,"broker":1,"event":1}`},
		{"producer id block", ProducerIDBlock{Broker: 1, Start: 0, End: 999}.Encode(),
			`{"version":1,"broker":1,"block_start":"0","block_end":"999"}`},
		{"acls", EncodeACLs([]ACL{{"User:alice", "Allow", "Read", "*"}}),
			`{"version":1,"acls":[{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}]}`},
		{"acl change", EncodeACLChange("Topic", "t"), `Topic:t`},
		{"extended acl change", ExtendedACLChange{"TOPIC", "pre", "PREFIXED"}.Encode(),
			`{"version":1,"resourceType":"TOPIC","name":"pre","patternType":"PREFIXED"}`},
		{"features", Features{Status: FeaturesEnabled, Levels: map[string]int16{"metadata.version": 21}}.Encode(),
			`{"version":2,"status":1,"features":{"metadata.version":{"max_version_level":21}}}`},
		{"consumer offset", EncodeConsumerOffset(1234), `1234`},
	}
	for _, tt := range tests {
		if string(tt.got) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, tt.got, tt.want)
		}
	}
}

func TestSmallDecoders(t *testing.T) {
	check := func(name string, got, want any, err error) {
		t.Helper()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, %v; want %+v", name, got, err, want)
		}
	}
	c, err := DecodeController("/controller", []byte(`{"version":1,"brokerid":3,"timestamp":"9"}`))
	check("controller v1", c, Controller{BrokerID: 3, Timestamp: 9}, err)
	e, err := DecodeControllerEpoch("/controller_epoch", []byte("12"))
	check("controller epoch", e, int32(12), err)
	cfg, err := DecodeConfig("/config/topics/t", []byte(`{"version":1,"config":{"a":"1"}}`))
	check("config", cfg, map[string]string{"a": "1"}, err)
	cfg, err = DecodeConfig("/config/topics/t", nil)
	check("config without data", cfg, map[string]string{}, err)
	ch, err := DecodeConfigChange("/c", []byte(`{"version":1,"entity_type":"topics","entity_name":"t"}`))
	check("config change v1", ch, ConfigChange{"topics", "t"}, err)
	ch, err = DecodeConfigChange("/c", []byte(`{"version":2,"entity_path":"users/alice/clients/app"}`))
	check("config change v2", ch, ConfigChange{"users", "alice/clients/app"}, err)
	b, err := DecodeLogDirEvent("/l", []byte(`{"version":1,"broker":4,"event":1}`))
	check("log dir event", b, int32(4), err)
	blk, err := DecodeProducerIDBlock("/p", []byte(`{"version":1,"broker":1,"block_start":"1000","block_end":"1999"}`))
	check("producer id block", blk, ProducerIDBlock{1, 1000, 1999}, err)
	typ, name, err := DecodeACLChange("/a", []byte("Group:g:1"))
	check("acl change", []string{typ, name}, []string{"Group", "g:1"}, err)
	f, err := DecodeFeatures("/feature", []byte(`{"version":1,"status":0,"features":{"x":{"min_version_level":1,"max_version_level":2}}}`))
	check("features v1", f, Features{Status: FeaturesDisabled, Levels: map[string]int16{"x": 2}}, err)
	id, err := DecodeClusterID("/cluster/id", []byte(`{"version":"1","id":"xyz"}`))
	check("cluster id", id, ClusterID{ID: "xyz"}, err)
}

func TestDecodeRejectsMalformed(t *testing.T) {
	tests := []struct {
		name   string
		decode func(path string, data []byte) error
		data   string
	}{
		{"broker not json", ignore(DecodeBrokerRegistration), `{"version":5`},
		{"broker no version", ignore(DecodeBrokerRegistration), `{"jmx_port":-1,"endpoints":[]}`},
		{"broker future version", ignore(DecodeBrokerRegistration), `{"version":6,"jmx_port":-1,"endpoints":[]}`},
		{"broker no endpoints", ignore(DecodeBrokerRegistration), `{"version":5,"jmx_port":-1}`},
		{"broker bad endpoint", ignore(DecodeBrokerRegistration), `{"version":5,"jmx_port":-1,"endpoints":["h:1"]}`},
		{"broker unknown listener", ignore(DecodeBrokerRegistration), `{"version":5,"jmx_port":-1,"endpoints":["X://h:1"]}`},
		{"broker numeric timestamp", ignore(DecodeBrokerRegistration), `{"version":5,"jmx_port":-1,"timestamp":1,"endpoints":[]}`},
		{"topic bad partition", ignore(DecodeTopicAssignment), `{"version":2,"partitions":{"x":[1]}}`},
		{"topic negative partition", ignore(DecodeTopicAssignment), `{"version":2,"partitions":{"-1":[1]}}`},
		{"topic padded partition", ignore(DecodeTopicAssignment), `{"version":2,"partitions":{"01":[1]}}`},
		{"topic bad id", ignore(DecodeTopicAssignment), `{"version":3,"topic_id":"nope","partitions":{}}`},
		{"topic no partitions", ignore(DecodeTopicAssignment), `{"version":3}`},
		{"topic trailing data", ignore(DecodeTopicAssignment), `{"version":3,"partitions":{}} x`},
		{"state float leader", ignore(DecodePartitionState), `{"version":1,"leader":1.5,"leader_epoch":0,"isr":[],"controller_epoch":0}`},
		{"state no isr", ignore(DecodePartitionState), `{"version":1,"leader":1,"leader_epoch":0,"controller_epoch":0}`},
		{"state overflow", ignore(DecodePartitionState), `{"version":1,"leader":4294967296,"leader_epoch":0,"isr":[],"controller_epoch":0}`},
		{"controller kraft", ignore(DecodeController), `{"version":2,"brokerid":1,"kraftControllerEpoch":5}`},
		{"controller epoch text", ignore(DecodeControllerEpoch), `seven`},
		{"config number value", ignore(DecodeConfig), `{"version":1,"config":{"a":1}}`},
		{"config change no slash", ignore(DecodeConfigChange), `{"version":2,"entity_path":"topics"}`},
		{"producer block numbers", ignore(DecodeProducerIDBlock), `{"version":1,"broker":1,"block_start":0,"block_end":9}`},
		{"producer block reversed", ignore(DecodeProducerIDBlock), `{"version":1,"broker":1,"block_start":"9","block_end":"0"}`},
		{"acls missing host", ignore(DecodeACLs), `{"version":1,"acls":[{"principal":"User:a","permissionType":"Allow","operation":"Read"}]}`},
		{"acl change no colon", ignore3(DecodeACLChange), `Topic`},
		{"isr change bad entry", ignore(DecodeIsrChange), `{"version":1,"partitions":[{"partition":0}]}`},
		{"features bad level", ignore(DecodeFeatures), `{"version":2,"status":1,"features":{"x":{"max_version_level":0}}}`},
		{"cluster id empty", ignore(DecodeClusterID), `{"version":"1","id":""}`},
		{"consumer offset", ignore(DecodeConsumerOffset), `12a`},
	}
	for _, tt := range tests {
		err := tt.decode("/the/path", []byte(tt.data))
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "/the/path") {
			t.Errorf("%s: error %v, want ErrMalformed naming the path", tt.name, err)
		}
	}
}

func ignore[T any](f func(string, []byte) (T, error)) func(string, []byte) error {
	return func(p string, b []byte) error { _, err := f(p, b); return err }
}

func ignore3[T, U any](f func(string, []byte) (T, U, error)) func(string, []byte) error {
	return func(p string, b []byte) error { _, _, err := f(p, b); return err }
}
