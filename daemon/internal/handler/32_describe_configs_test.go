package handler_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func describeConfigsReq(version int16, typ kmsg.ConfigResourceType, name string, keys ...string) *kmsg.DescribeConfigsRequest {
	req := kmsg.NewPtrDescribeConfigsRequest()
	req.Version, req.IncludeSynonyms = version, true
	rr := kmsg.NewDescribeConfigsRequestResource()
	rr.ResourceType, rr.ResourceName, rr.ConfigNames = typ, name, keys
	req.Resources = []kmsg.DescribeConfigsRequestResource{rr}
	return req
}

func TestDescribeConfigs(t *testing.T) {
	tests := []struct {
		name     string
		req      *kmsg.DescribeConfigsRequest
		code     int16
		key      string // a config expected in the answer
		value    string
		source   kmsg.ConfigSource
		synonyms int // at least this many synonyms
		onlyKeys bool
	}{
		{name: "topic override", req: describeConfigsReq(4, kmsg.ConfigResourceTypeTopic, "t"),
			key: "retention.ms", value: "1000", source: kmsg.ConfigSourceDynamicTopicConfig, synonyms: 1},
		{name: "topic default", req: describeConfigsReq(4, kmsg.ConfigResourceTypeTopic, "t"),
			key: "cleanup.policy", value: "delete", source: kmsg.ConfigSourceDefaultConfig},
		{name: "named keys only", req: describeConfigsReq(4, kmsg.ConfigResourceTypeTopic, "t", "retention.ms"),
			key: "retention.ms", value: "1000", source: kmsg.ConfigSourceDynamicTopicConfig, onlyKeys: true},
		{name: "v0 has no synonyms", req: describeConfigsReq(0, kmsg.ConfigResourceTypeTopic, "t", "retention.ms"),
			key: "retention.ms", value: "1000", source: -1, onlyKeys: true},
		{name: "unknown topic", req: describeConfigsReq(4, kmsg.ConfigResourceTypeTopic, "nope"), code: kerr.UnknownTopicOrPartition.Code},
		{name: "this broker", req: describeConfigsReq(4, kmsg.ConfigResourceTypeBroker, "1", "log.cleaner.threads"),
			key: "log.cleaner.threads", value: "2", source: kmsg.ConfigSourceDynamicBrokerConfig, synonyms: 2, onlyKeys: true},
		{name: "cluster default", req: describeConfigsReq(4, kmsg.ConfigResourceTypeBroker, "", "log.cleaner.threads"),
			key: "log.cleaner.threads", value: "3", source: kmsg.ConfigSourceDynamicDefaultBrokerConfig, onlyKeys: true},
		{name: "another broker", req: describeConfigsReq(4, kmsg.ConfigResourceTypeBroker, "2"), code: kerr.InvalidRequest.Code},
		{name: "broker name not a number", req: describeConfigsReq(4, kmsg.ConfigResourceTypeBroker, "x"), code: kerr.InvalidRequest.Code},
		{name: "unknown resource type", req: describeConfigsReq(4, 9, "x"), code: kerr.InvalidRequest.Code},
	}
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	f.admin.entities["topics/t"] = map[string]string{"retention.ms": "1000"}
	f.admin.entities["brokers/1"] = map[string]string{"log.cleaner.threads": "2"}
	f.admin.entities["brokers/<default>"] = map[string]string{"log.cleaner.threads": "3"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := f.call(tc.req).(*kmsg.DescribeConfigsResponse).Resources[0]
			if r.ErrorCode != tc.code {
				t.Fatalf("error %d (%v), want %d", r.ErrorCode, r.ErrorMessage, tc.code)
			}
			if tc.code != 0 {
				if len(r.Configs) != 0 || r.ErrorMessage == nil {
					t.Errorf("failed resource: %d configs, message %v", len(r.Configs), r.ErrorMessage)
				}
				return
			}
			if tc.onlyKeys && len(r.Configs) != 1 {
				t.Errorf("%d configs, want only %s", len(r.Configs), tc.key)
			}
			c, ok := findConfig(r.Configs, tc.key)
			if !ok || c.Value == nil || *c.Value != tc.value {
				t.Fatalf("%s: %+v, want value %s", tc.key, c, tc.value)
			}
			if tc.req.Version >= 1 && c.Source != tc.source {
				t.Errorf("%s: source %d, want %d", tc.key, c.Source, tc.source)
			}
			if tc.req.Version == 0 && (len(c.ConfigSynonyms) != 0 || c.IsDefault) {
				t.Errorf("v0 %s: synonyms %v, default %v", tc.key, c.ConfigSynonyms, c.IsDefault)
			}
			if len(c.ConfigSynonyms) < tc.synonyms {
				t.Errorf("%s: synonyms %+v, want at least %d", tc.key, c.ConfigSynonyms, tc.synonyms)
			}
		})
	}
}

func findConfig(cs []kmsg.DescribeConfigsResponseResourceConfig, name string) (kmsg.DescribeConfigsResponseResourceConfig, bool) {
	for _, c := range cs {
		if c.Name == name {
			return c, true
		}
	}
	return kmsg.DescribeConfigsResponseResourceConfig{}, false
}
