package handler_test

import (
	"maps"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// alterResource is one resource of an AlterConfigs request: name/value
// pairs, where the value "<null>" is sent as null.
func alterResource(typ kmsg.ConfigResourceType, name string, kv ...string) kmsg.AlterConfigsRequestResource {
	rr := kmsg.NewAlterConfigsRequestResource()
	rr.ResourceType, rr.ResourceName = typ, name
	for i := 0; i+1 < len(kv); i += 2 {
		c := kmsg.NewAlterConfigsRequestResourceConfig()
		c.Name = kv[i]
		if kv[i+1] != "<null>" {
			c.Value = kmsg.StringPtr(kv[i+1])
		}
		rr.Configs = append(rr.Configs, c)
	}
	return rr
}

func TestAlterConfigs(t *testing.T) {
	topic, broker := kmsg.ConfigResourceTypeTopic, kmsg.ConfigResourceTypeBroker
	tests := []struct {
		name         string
		resources    []kmsg.AlterConfigsRequestResource
		validateOnly bool
		codes        []int16
		stored       map[string]map[string]string // entity -> config afterwards
	}{
		{name: "replaces a topic's overrides", resources: []kmsg.AlterConfigsRequestResource{alterResource(topic, "t", "retention.ms", "5000")},
			codes: []int16{0}, stored: map[string]map[string]string{"topics/t": {"retention.ms": "5000"}}},
		{name: "validate only", resources: []kmsg.AlterConfigsRequestResource{alterResource(topic, "t", "retention.ms", "5000")}, validateOnly: true,
			codes: []int16{0}, stored: map[string]map[string]string{"topics/t": {"segment.ms": "100"}}},
		{name: "bad topic value", resources: []kmsg.AlterConfigsRequestResource{alterResource(topic, "t", "retention.ms", "soon")},
			codes: []int16{kerr.InvalidConfig.Code}},
		{name: "unknown topic config", resources: []kmsg.AlterConfigsRequestResource{alterResource(topic, "t", "no.such", "1")},
			codes: []int16{kerr.InvalidConfig.Code}},
		{name: "null value", resources: []kmsg.AlterConfigsRequestResource{alterResource(topic, "t", "retention.ms", "<null>")},
			codes: []int16{kerr.InvalidRequest.Code}},
		{name: "duplicate key", resources: []kmsg.AlterConfigsRequestResource{alterResource(topic, "t", "retention.ms", "1", "retention.ms", "2")},
			codes: []int16{kerr.InvalidRequest.Code}},
		{name: "duplicate resource", resources: []kmsg.AlterConfigsRequestResource{
			alterResource(topic, "t", "retention.ms", "1"), alterResource(topic, "u", "retention.ms", "1"), alterResource(topic, "t", "retention.ms", "2")},
			codes:  []int16{kerr.InvalidRequest.Code, 0, kerr.InvalidRequest.Code},
			stored: map[string]map[string]string{"topics/u": {"retention.ms": "1"}}},
		{name: "unknown topic", resources: []kmsg.AlterConfigsRequestResource{alterResource(topic, "nope", "retention.ms", "1")},
			codes: []int16{kerr.UnknownTopicOrPartition.Code}},
		{name: "this broker", resources: []kmsg.AlterConfigsRequestResource{alterResource(broker, "1", "log.cleaner.threads", "2")},
			codes: []int16{0}, stored: map[string]map[string]string{"brokers/1": {"log.cleaner.threads": "2"}}},
		{name: "cluster default", resources: []kmsg.AlterConfigsRequestResource{alterResource(broker, "", "log.cleaner.threads", "2")},
			codes: []int16{0}, stored: map[string]map[string]string{"brokers/<default>": {"log.cleaner.threads": "2"}}},
		{name: "another broker", resources: []kmsg.AlterConfigsRequestResource{alterResource(broker, "2", "log.cleaner.threads", "2")},
			codes: []int16{kerr.InvalidRequest.Code}},
		{name: "read-only broker config", resources: []kmsg.AlterConfigsRequestResource{alterResource(broker, "1", "broker.id", "7")},
			codes: []int16{kerr.InvalidRequest.Code}},
		{name: "unknown resource type", resources: []kmsg.AlterConfigsRequestResource{alterResource(9, "x", "a", "b")},
			codes: []int16{kerr.InvalidRequest.Code}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", ledHere(1)...)
			f.topic("u", ledHere(1)...)
			f.admin.entities["topics/t"] = map[string]string{"segment.ms": "100"}
			req := kmsg.NewPtrAlterConfigsRequest()
			req.Version, req.Resources, req.ValidateOnly = 2, tc.resources, tc.validateOnly
			resp := f.call(req).(*kmsg.AlterConfigsResponse)
			checkCodes(t, alterCodes(resp), tc.codes)
			checkStored(t, f, tc.stored, tc.codes)
		})
	}
}

func alterCodes(resp *kmsg.AlterConfigsResponse) []int16 {
	var out []int16
	for _, r := range resp.Resources {
		out = append(out, r.ErrorCode)
	}
	return out
}

func checkCodes(t *testing.T, got, want []int16) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("codes %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("resource %d: code %d, want %d", i, got[i], want[i])
		}
	}
}

// checkStored compares the stored entities with want; when want is nil and
// every resource failed, nothing may have changed.
func checkStored(t *testing.T, f *fixture, want map[string]map[string]string, codes []int16) {
	t.Helper()
	for entity, cfg := range want {
		typ, name, _ := cutEntity(entity)
		if got := f.admin.entity(typ, name); !maps.Equal(got, cfg) {
			t.Errorf("%s: stored %v, want %v", entity, got, cfg)
		}
	}
	if want == nil {
		if got := f.admin.entity("topics", "t"); !maps.Equal(got, map[string]string{"segment.ms": "100"}) {
			t.Errorf("topics/t changed to %v by a failed request (codes %v)", got, codes)
		}
		if got := f.admin.entity("brokers", "1"); got != nil {
			t.Errorf("brokers/1 written: %v", got)
		}
	}
}

func cutEntity(entity string) (typ, name string, ok bool) {
	for i := range entity {
		if entity[i] == '/' {
			return entity[:i], entity[i+1:], true
		}
	}
	return entity, "", false
}
