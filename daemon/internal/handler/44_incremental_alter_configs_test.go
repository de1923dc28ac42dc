package handler_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// op is one IncrementalAlterConfigs operation; value "<null>" is sent null.
type op struct {
	name  string
	op    kmsg.IncrementalAlterConfigOp
	value string
}

func incResource(typ kmsg.ConfigResourceType, name string, ops ...op) kmsg.IncrementalAlterConfigsRequestResource {
	rr := kmsg.NewIncrementalAlterConfigsRequestResource()
	rr.ResourceType, rr.ResourceName = typ, name
	for _, o := range ops {
		c := kmsg.NewIncrementalAlterConfigsRequestResourceConfig()
		c.Name, c.Op = o.name, o.op
		if o.value != "<null>" {
			c.Value = kmsg.StringPtr(o.value)
		}
		rr.Configs = append(rr.Configs, c)
	}
	return rr
}

func TestIncrementalAlterConfigs(t *testing.T) {
	const (
		set      = kmsg.IncrementalAlterConfigOpSet
		del      = kmsg.IncrementalAlterConfigOpDelete
		appendOp = kmsg.IncrementalAlterConfigOpAppend
		subtract = kmsg.IncrementalAlterConfigOpSubtract
	)
	topic, broker := kmsg.ConfigResourceTypeTopic, kmsg.ConfigResourceTypeBroker
	tests := []struct {
		name         string
		resources    []kmsg.IncrementalAlterConfigsRequestResource
		validateOnly bool
		codes        []int16
		stored       map[string]map[string]string
	}{
		{name: "set keeps other overrides", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"retention.ms", set, "5000"})},
			codes: []int16{0}, stored: map[string]map[string]string{"topics/t": {"segment.ms": "100", "retention.ms": "5000"}}},
		{name: "delete", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"segment.ms", del, "<null>"})},
			codes: []int16{0}, stored: map[string]map[string]string{"topics/t": {}}},
		{name: "append starts from the default", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"cleanup.policy", appendOp, "compact"})},
			codes: []int16{0}, stored: map[string]map[string]string{"topics/t": {"segment.ms": "100", "cleanup.policy": "delete,compact"}}},
		{name: "append a value already there", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"cleanup.policy", appendOp, "delete"})},
			codes: []int16{0}, stored: map[string]map[string]string{"topics/t": {"segment.ms": "100", "cleanup.policy": "delete"}}},
		{name: "subtract from the default", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"cleanup.policy", subtract, "delete"})},
			codes: []int16{0}, stored: map[string]map[string]string{"topics/t": {"segment.ms": "100", "cleanup.policy": ""}}}, // empty is valid in 3.9
		{name: "append then subtract in one request", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t",
			op{"leader.replication.throttled.replicas", appendOp, "0:1,1:1,2:1"}, op{"follower.replication.throttled.replicas", subtract, "0:1"})},
			codes: []int16{0}, stored: map[string]map[string]string{"topics/t": {"segment.ms": "100",
				"leader.replication.throttled.replicas": "0:1,1:1,2:1", "follower.replication.throttled.replicas": ""}}},
		{name: "append to a non-list", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"retention.ms", appendOp, "1"})},
			codes: []int16{kerr.InvalidRequest.Code}},
		{name: "subtract from an unknown config", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"no.such", subtract, "1"})},
			codes: []int16{kerr.InvalidConfig.Code}},
		{name: "set null", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"retention.ms", set, "<null>"})},
			codes: []int16{kerr.InvalidRequest.Code}},
		{name: "append null", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"cleanup.policy", appendOp, "<null>"})},
			codes: []int16{kerr.InvalidRequest.Code}},
		{name: "unknown operation", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"retention.ms", 7, "1"})},
			codes: []int16{kerr.InvalidRequest.Code}},
		{name: "duplicate key", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"retention.ms", set, "1"}, op{"retention.ms", del, "<null>"})},
			codes: []int16{kerr.InvalidRequest.Code}},
		{name: "duplicate resource", resources: []kmsg.IncrementalAlterConfigsRequestResource{
			incResource(topic, "t", op{"retention.ms", set, "1"}), incResource(topic, "t", op{"segment.ms", set, "1"})},
			codes: []int16{kerr.InvalidRequest.Code, kerr.InvalidRequest.Code}},
		{name: "bad value", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"retention.ms", set, "x"})},
			codes: []int16{kerr.InvalidConfig.Code}},
		{name: "validate only", validateOnly: true, resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "t", op{"retention.ms", set, "1"})},
			codes: []int16{0}, stored: map[string]map[string]string{"topics/t": {"segment.ms": "100"}}},
		{name: "unknown topic", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(topic, "nope", op{"retention.ms", set, "1"})},
			codes: []int16{kerr.UnknownTopicOrPartition.Code}},
		{name: "this broker", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(broker, "1", op{"log.cleaner.threads", set, "2"})},
			codes: []int16{0}, stored: map[string]map[string]string{"brokers/1": {"log.cleaner.threads": "2"}}},
		{name: "another broker", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(broker, "2", op{"log.cleaner.threads", set, "2"})},
			codes: []int16{kerr.InvalidRequest.Code}},
		{name: "read-only broker config", resources: []kmsg.IncrementalAlterConfigsRequestResource{incResource(broker, "", op{"broker.id", set, "2"})},
			codes: []int16{kerr.InvalidRequest.Code}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", ledHere(1)...)
			f.admin.entities["topics/t"] = map[string]string{"segment.ms": "100"}
			req := kmsg.NewPtrIncrementalAlterConfigsRequest()
			req.Version, req.Resources, req.ValidateOnly = 1, tc.resources, tc.validateOnly
			resp := f.call(req).(*kmsg.IncrementalAlterConfigsResponse)
			var codes []int16
			for _, r := range resp.Resources {
				codes = append(codes, r.ErrorCode)
				if r.ErrorCode != 0 && r.ErrorMessage == nil {
					t.Errorf("%s: code %d without a message", r.ResourceName, r.ErrorCode)
				}
			}
			checkCodes(t, codes, tc.codes)
			checkStored(t, f, tc.stored, tc.codes)
		})
	}
}
