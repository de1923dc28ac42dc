package handler_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"
)

// TestRegisteredVersionsWithinKafka39: no API is served beyond what Kafka
// 3.9 (ZooKeeper mode) serves, and kmsg can decode every served version.
func TestRegisteredVersionsWithinKafka39(t *testing.T) {
	f := newFixture(t)
	v39 := kversion.V3_9_0()
	served := 0
	for key := int16(0); key <= kmsg.MaxKey; key++ {
		lo, hi, ok := f.h.Versions(key)
		if !ok {
			continue
		}
		served++
		name := kmsg.NameForKey(key)
		kafkaMax, inKafka := v39.LookupMaxKeyVersion(key)
		switch {
		case !inKafka:
			t.Errorf("%s (key %d) is served but not part of Kafka 3.9", name, key)
		case hi > kafkaMax:
			t.Errorf("%s max version %d above Kafka 3.9's %d", name, hi, kafkaMax)
		case lo < 0 || lo > hi:
			t.Errorf("%s version range %d-%d", name, lo, hi)
		case hi > kmsg.RequestForKey(key).MaxVersion():
			t.Errorf("%s max version %d above what kmsg decodes (%d)", name, hi, kmsg.RequestForKey(key).MaxVersion())
		}
	}
	if served == 0 {
		t.Fatal("no API registered")
	}
}

// TestApiVersionsListsExactlyTheRegisteredKeys at every ApiVersions version.
func TestApiVersionsListsExactlyTheRegisteredKeys(t *testing.T) {
	f := newFixture(t)
	for v := int16(0); v <= 4; v++ {
		req := kmsg.NewPtrApiVersionsRequest()
		req.Version, req.ClientSoftwareName, req.ClientSoftwareVersion = v, "kq-test", "1.0.0"
		resp := f.call(req).(*kmsg.ApiVersionsResponse)
		if resp.ErrorCode != 0 {
			t.Fatalf("v%d: error %d", v, resp.ErrorCode)
		}
		listed := map[int16]kmsg.ApiVersionsResponseApiKey{}
		prev := int16(-1)
		for _, k := range resp.ApiKeys {
			if k.ApiKey <= prev {
				t.Errorf("v%d: keys not in ascending order at %d", v, k.ApiKey)
			}
			prev = k.ApiKey
			listed[k.ApiKey] = k
		}
		for key := int16(0); key <= kmsg.MaxKey+10; key++ {
			lo, hi, ok := f.h.Versions(key)
			k, inList := listed[key]
			if ok != inList || (ok && (k.MinVersion != lo || k.MaxVersion != hi)) {
				t.Errorf("v%d: key %d listed %v %d-%d, registered %v %d-%d", v, key, inList, k.MinVersion, k.MaxVersion, ok, lo, hi)
			}
		}
	}
}

func TestApiVersionsClientSoftware(t *testing.T) {
	tests := []struct {
		name, version string
		code          int16
	}{
		{name: "franz-go", version: "1.18.0"},
		{name: "apache-kafka-java", version: "3.9.0"},
		{name: "librdkafka", version: "2.6.1"},
		{name: "", version: ""}, // accepted: some librdkafka builds send nothing
		{name: "-leading", version: "1", code: kerr.InvalidRequest.Code},
		{name: "trailing.", version: "1", code: kerr.InvalidRequest.Code},
		{name: "sp ace", version: "1", code: kerr.InvalidRequest.Code},
		{name: "ok", version: "1.0_beta", code: kerr.InvalidRequest.Code},
	}
	f := newFixture(t)
	for _, tc := range tests {
		req := kmsg.NewPtrApiVersionsRequest()
		req.Version, req.ClientSoftwareName, req.ClientSoftwareVersion = 3, tc.name, tc.version
		resp := f.call(req).(*kmsg.ApiVersionsResponse)
		if resp.ErrorCode != tc.code {
			t.Errorf("%q %q: error %d, want %d", tc.name, tc.version, resp.ErrorCode, tc.code)
		}
		if listed := len(resp.ApiKeys) > 0; listed != (tc.code == 0) {
			t.Errorf("%q %q: %d API keys listed with error %d", tc.name, tc.version, len(resp.ApiKeys), resp.ErrorCode)
		}
		// v2 has no client software fields: never an error.
		req.Version = 2
		if resp := f.call(req).(*kmsg.ApiVersionsResponse); resp.ErrorCode != 0 {
			t.Errorf("v2 %q: error %d", tc.name, resp.ErrorCode)
		}
	}
}

// TestHandleRefusesUnservedVersions: the server filters versions first, but
// a request past it anyway closes the connection rather than panicking.
func TestHandleRefusesUnservedVersions(t *testing.T) {
	f := newFixture(t)
	for _, req := range []kmsg.Request{
		func() kmsg.Request { r := kmsg.NewPtrProduceRequest(); r.Version = 12; return r }(), // above Kafka 3.9's v11
		func() kmsg.Request { r := kmsg.NewPtrFetchRequest(); r.Version = 18; return r }(),   // above Kafka 3.9's v17
		func() kmsg.Request { r := kmsg.NewPtrCreateDelegationTokenRequest(); r.Version = 0; return r }(),
	} {
		if _, err := f.send(req); err == nil {
			t.Errorf("%s v%d: no error, want the connection closed", kmsg.NameForKey(req.Key()), req.GetVersion())
		}
	}
}
