package znode

import (
	"bytes"
	"errors"
	"testing"
)

// codec pairs a decoder with the encoder of what it returns.
type codec struct {
	path   string
	decode func(path string, data []byte) (any, error)
	encode func(v any) []byte
	seeds  []string
}

func dec[T any](f func(string, []byte) (T, error)) func(string, []byte) (any, error) {
	return func(p string, b []byte) (any, error) { return f(p, b) }
}

func enc[T any](f func(T) []byte) func(any) []byte {
	return func(v any) []byte { return f(v.(T)) }
}

func codecs() []codec {
	return []codec{
		{"/brokers/ids/1", dec(DecodeBrokerRegistration), enc(BrokerRegistration.Encode), []string{
			`{"version":5,"host":"h","port":9092,"jmx_port":-1,"timestamp":"1","endpoints":["PLAINTEXT://h:9092","X://[::1]:1"],"listener_security_protocol_map":{"X":"SSL"},"rack":"r","features":{"f":{"min_version":1,"max_version":2}}}`,
			`{"version":1,"host":"old","port":9092,"jmx_port":-1,"timestamp":"2"}`}},
		{"/brokers/topics/t", dec(DecodeTopicAssignment), enc(TopicAssignment.Encode), []string{
			`{"version":3,"topic_id":"q3BWeyk0RtyJq2KdwBunEg","partitions":{"0":[1,2],"1":[2,0]},"adding_replicas":{"0":[2]},"removing_replicas":{}}`}},
		{"/s", dec(DecodePartitionState), enc(PartitionState.Encode), []string{
			`{"version":1,"leader":1,"leader_epoch":3,"isr":[1,2],"controller_epoch":7,"leader_recovery_state":1}`}},
		{"/controller", dec(DecodeController), enc(Controller.Encode), []string{
			`{"version":2,"brokerid":1,"timestamp":"42","kraftControllerEpoch":-1}`}},
		{"/controller_epoch", dec(DecodeControllerEpoch), enc(EncodeControllerEpoch), []string{`7`}},
		{"/cluster/id", dec(DecodeClusterID), enc(ClusterID.Encode), []string{`{"version":"1","id":"x"}`}},
		{"/config/topics/t", dec(DecodeConfig), enc(EncodeConfig), []string{`{"version":1,"config":{"a":"b"}}`}},
		{"/config/changes/c", dec(DecodeConfigChange), enc(ConfigChange.Encode), []string{
			`{"version":2,"entity_path":"brokers/<default>"}`, `{"version":1,"entity_type":"topics","entity_name":"t"}`}},
		{"/isr", dec(DecodeIsrChange), enc(EncodeIsrChange), []string{`{"version":1,"partitions":[{"topic":"t","partition":0}]}`}},
		{"/r", dec(DecodeReassignPartitions), enc(EncodeReassignPartitions), []string{
			`{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2]}]}`}},
		{"/l", dec(DecodeLogDirEvent), enc(EncodeLogDirEvent), []string{`{"version":1,"broker":1,"event":1}`}},
		{"/p", dec(DecodeProducerIDBlock), enc(ProducerIDBlock.Encode), []string{
			`{"version":1,"broker":1,"block_start":"0","block_end":"999"}`}},
		{"/a", dec(DecodeACLs), enc(EncodeACLs), []string{
			`{"version":1,"acls":[{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}]}`}},
		{"/x", dec(DecodeExtendedACLChange), enc(ExtendedACLChange.Encode), []string{
			`{"version":1,"resourceType":"TOPIC","name":"p","patternType":"PREFIXED"}`}},
		{"/feature", dec(DecodeFeatures), enc(Features.Encode), []string{
			`{"version":2,"status":1,"features":{"metadata.version":{"max_version_level":21}}}`}},
		{"/o", dec(DecodeConsumerOffset), enc(EncodeConsumerOffset), []string{`1234`}},
	}
}

// FuzzDecode feeds arbitrary bytes to every decoder. A decoder either
// fails with ErrMalformed, or returns a value whose encoding decodes again
// and is a fixed point: encode(decode(encode(v))) == encode(v).
func FuzzDecode(f *testing.F) {
	all := codecs()
	for i, c := range all {
		for _, s := range c.seeds {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		c := all[int(which)%len(all)]
		v, err := c.decode(c.path, data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("%s: error not marked malformed: %v", c.path, err)
			}
			return
		}
		once := c.encode(v)
		v2, err := c.decode(c.path, once)
		if err != nil {
			t.Fatalf("%s: own encoding %s does not decode: %v", c.path, once, err)
		}
		if twice := c.encode(v2); !bytes.Equal(once, twice) {
			t.Fatalf("%s: encoding not stable:\n%s\n%s", c.path, once, twice)
		}
	})
}
