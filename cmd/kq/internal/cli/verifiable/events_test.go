package verifiable

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// TestEventsInKafkasFieldOrder: Kafka's system tests parse these lines;
// the fields come in the order Jackson writes VerifiableProducer's and
// VerifiableConsumer's events.
func TestEventsInKafkasFieldOrder(t *testing.T) {
	var out bytes.Buffer
	pr := &printer{out: &out, now: func() time.Time { return time.UnixMilli(1700000000000) }}
	msg := "boom"
	key := "k"
	tests := []struct {
		v    any
		want string
	}{
		{pr.head("startup_complete"), `{"timestamp":1700000000000,"name":"startup_complete"}`},
		{sendSuccess{pr.head("producer_send_success"), nil, "3", "t", 1, 7},
			`{"timestamp":1700000000000,"name":"producer_send_success","key":null,"value":"3","topic":"t","partition":1,"offset":7}`},
		{sendError{pr.head("producer_send_error"), "t", &key, "3", "class x.TimeoutException", "m"},
			`{"timestamp":1700000000000,"name":"producer_send_error","topic":"t","key":"k","value":"3","exception":"class x.TimeoutException","message":"m"}`},
		{toolData{pr.head("tool_data"), 10, 9, -1, 4.5},
			`{"timestamp":1700000000000,"name":"tool_data","sent":10,"acked":9,"target_throughput":-1,"avg_throughput":4.5}`},
		{recordsConsumed{pr.head("records_consumed"), 2, []setSummary{{"t", 0, 2, 5, 6}}},
			`{"timestamp":1700000000000,"name":"records_consumed","count":2,"partitions":[{"topic":"t","partition":0,"count":2,"minOffset":5,"maxOffset":6}]}`},
		{offsetsCommitted{pr.head("offsets_committed"), []commitData{{"t", 0, 7}}, nil, true},
			`{"timestamp":1700000000000,"name":"offsets_committed","offsets":[{"topic":"t","partition":0,"offset":7}],"success":true}`},
		{offsetsCommitted{pr.head("offsets_committed"), []commitData{}, &msg, false},
			`{"timestamp":1700000000000,"name":"offsets_committed","offsets":[],"error":"boom","success":false}`},
		{partitionsEvent{pr.head("partitions_assigned"), partitionList(map[string][]int32{"b": {1}, "a": {2, 0}})},
			`{"timestamp":1700000000000,"name":"partitions_assigned","partitions":[{"topic":"a","partition":0},{"topic":"a","partition":2},{"topic":"b","partition":1}]}`},
		{recordData{pr.head("record_data"), nil, text([]byte("v")), "t", 0, 1},
			`{"timestamp":1700000000000,"name":"record_data","key":null,"value":"v","topic":"t","partition":0,"offset":1}`},
	}
	for _, tt := range tests {
		out.Reset()
		pr.print(tt.v)
		if got := out.String(); got != tt.want+"\n" {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}

func TestJavaException(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{kerr.NotEnoughReplicas, "org.apache.kafka.common.errors.NotEnoughReplicasException"},
		{kerr.UnknownTopicOrPartition, "org.apache.kafka.common.errors.UnknownTopicOrPartitionException"},
		{kerr.RequestTimedOut, "org.apache.kafka.common.errors.TimeoutException"},
		{errors.New("records have timed out"), "org.apache.kafka.common.errors.TimeoutException"},
	}
	for _, tt := range tests {
		if got := javaException(tt.err); got != tt.want {
			t.Errorf("%v: got %s, want %s", tt.err, got, tt.want)
		}
	}
}

func TestProducerConfigFileBeatsFlags(t *testing.T) {
	pc, err := producerConfig(-1, map[string]string{"acks": "1", "linger.ms": "5", "compression.type": "lz4"})
	if err != nil || pc.Acks != 1 || pc.Linger != 5*time.Millisecond || pc.Compression != "lz4" || pc.Idempotent {
		t.Fatalf("%+v %v", pc, err)
	}
	if _, err := producerConfig(-1, map[string]string{"batch.size": "big"}); err == nil {
		t.Fatal("batch.size=big accepted")
	}
}
