package handler_test

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/handler"
)

// legacyFetch is a fetch at an old version, answered at once.
func legacyFetch(version int16, maxBytes int32, parts ...fetchPart) *kmsg.FetchRequest {
	for i := range parts {
		parts[i].epoch = -1
	}
	req := fetchReq(0, 1, maxBytes, parts...)
	req.Version = version
	return req
}

// TestFetchDownconversion: Fetch v0-3 answer legacy messages (magic 0 for
// v0-1, 1 for v2-3), uncompressed whatever the stored codec, with the
// stored offsets, keys, values and (magic 1) timestamps.
func TestFetchDownconversion(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	f.produce("t", 0, batch(1000, "a", "b"))
	gz := legacyWrapped(t, 1, codecGzip, 2, legacySet(1, 5000, "c", "d"))
	if p := f.call(legacyProduceReq(2, 1, "t", gz)).(*kmsg.ProduceResponse).Topics[0].Partitions[0]; p.ErrorCode != 0 {
		t.Fatalf("legacy gzip produce: error %d", p.ErrorCode)
	}
	f.produce("t", 0, batch(2000, "e"))
	want := []legacyMessage{
		{offset: 0, ts: 1000, value: "a"}, {offset: 1, ts: 1001, value: "b"},
		{offset: 2, ts: 5000, key: "k0", value: "c"}, {offset: 3, ts: 5001, key: "k1", value: "d"},
		{offset: 4, ts: 2000, value: "e"},
	}
	for version := int16(0); version <= 3; version++ {
		for _, from := range []int64{0, 1, 3} {
			t.Run(fmt.Sprintf("v%d from %d", version, from), func(t *testing.T) {
				resp := f.call(legacyFetch(version, 1<<20, fetchPart{topic: "t", offset: from})).(*kmsg.FetchResponse)
				p := resp.Topics[0].Partitions[0]
				if p.ErrorCode != 0 || p.HighWatermark != 5 {
					t.Fatalf("error %d high watermark %d, want 0 and 5", p.ErrorCode, p.HighWatermark)
				}
				got, partial := readLegacySet(t, p.RecordBatches)
				magic := int8(1)
				if version <= 1 {
					magic = 0
				}
				if exp := expectLegacy(want[from:], magic); !slices.Equal(got, exp) || partial != nil {
					t.Fatalf("messages\n%+v\nwant\n%+v (partial %d bytes)", got, exp, len(partial))
				}
			})
		}
	}
}

// expectLegacy is want as messages of a magic: magic 0 has no timestamps.
func expectLegacy(want []legacyMessage, magic int8) []legacyMessage {
	out := slices.Clone(want)
	for i := range out {
		out[i].magic = magic
		if magic == 0 {
			out[i].ts = -1
		}
	}
	return out
}

// magic1Size is a magic 1 message's size with a null key.
func magic1Size(value string) int { return 12 + 4 + 1 + 1 + 8 + 4 + 4 + len(value) }

func TestFetchDownconversionLimits(t *testing.T) {
	small := strings.Repeat("s", 10)
	big := strings.Repeat("B", 1000)
	tests := []struct {
		name     string
		version  int16
		maxBytes int32 // the request's (v3)
		parts    []fetchPart
		values   [][]string // per partition: whole messages expected
		partial  []int      // per partition: bytes of a cut message expected
	}{
		{name: "v2 stops before the message that would pass partition_max_bytes", version: 2, maxBytes: 1 << 20,
			parts:  []fetchPart{{topic: "small", maxBytes: int32(2*magic1Size(small) + 10)}},
			values: [][]string{{small, small}}, partial: []int{0}},
		{name: "v2 exactly full", version: 2, maxBytes: 1 << 20,
			parts:  []fetchPart{{topic: "small", maxBytes: int32(3 * magic1Size(small))}},
			values: [][]string{{small, small, small}}, partial: []int{0}},
		{name: "v2 first message over the hard limit goes out cut", version: 2, maxBytes: 1 << 20,
			parts:  []fetchPart{{topic: "big", maxBytes: 100}},
			values: [][]string{nil}, partial: []int{100}},
		{name: "v2 every partition's oversized first message goes out cut", version: 2, maxBytes: 1 << 20,
			parts:  []fetchPart{{topic: "small"}, {topic: "big", maxBytes: 100}},
			values: [][]string{{small, small, small}, nil}, partial: []int{0, 100}},
		{name: "v3 first message over the limit goes out whole (KIP-74)", version: 3, maxBytes: 1 << 20,
			parts:  []fetchPart{{topic: "big", maxBytes: 100}},
			values: [][]string{{big}}, partial: []int{0}},
		{name: "v3 max_bytes spent by the first partition", version: 3, maxBytes: int32(3*magic1Size(small) + 10),
			parts:  []fetchPart{{topic: "small"}, {topic: "small", partition: 1}},
			values: [][]string{{small, small, small}, nil}, partial: []int{0, 0}},
		{name: "v3 max_bytes shared between partitions", version: 3, maxBytes: int32(4 * magic1Size(small)),
			parts:  []fetchPart{{topic: "small"}, {topic: "small", partition: 1}},
			values: [][]string{{small, small, small}, {small}}, partial: []int{0, 0}},
		{name: "v3 second partition's oversized first message is not sent", version: 3, maxBytes: 1 << 20,
			parts:  []fetchPart{{topic: "small"}, {topic: "big", maxBytes: 100}},
			values: [][]string{{small, small, small}, nil}, partial: []int{0, 0}},
	}
	f := newFixture(t)
	f.topic("small", ledHere(2)...)
	f.topic("big", ledHere(1)...)
	for p := range int32(2) {
		f.produce("small", p, batch(1000, small, small, small))
	}
	f.produce("big", 0, batch(1000, big, big))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.call(legacyFetch(tc.version, tc.maxBytes, tc.parts...)).(*kmsg.FetchResponse)
			i := 0
			for _, rt := range resp.Topics {
				for _, p := range rt.Partitions {
					got, partial := readLegacySet(t, p.RecordBatches)
					var vals []string
					for _, m := range got {
						vals = append(vals, m.value)
					}
					if p.ErrorCode != 0 || !slices.Equal(vals, tc.values[i]) || len(partial) != tc.partial[i] {
						t.Errorf("%s-%d: error %d, %d messages, %d partial bytes; want %d messages, %d partial bytes",
							rt.Topic, p.Partition, p.ErrorCode, len(vals), len(partial), len(tc.values[i]), tc.partial[i])
					}
					i++
				}
			}
		})
	}
}

// noDownconversion turns message.downconversion.enable off for one topic.
type noDownconversion struct {
	*fakeConfigs
	topic string
}

func (c noDownconversion) MessageDownconversionEnable(topic string) bool { return topic != c.topic }

// TestFetchDownconversionDisabled: with message.downconversion.enable=false
// a topic answers Fetch v0-3 with UNSUPPORTED_VERSION, as Kafka; v4+ and
// other topics are unaffected.
func TestFetchDownconversionDisabled(t *testing.T) {
	f := newFixture(t)
	f.h = handler.New(handler.Deps{
		BrokerID: self, Settings: f.currentSettings, Cache: f.cache, Replicas: f.replicas, Admin: f.admin,
		Configs: noDownconversion{fakeConfigs: f.configs, topic: "off"}, ProducerIDs: f.pids,
		Logger: slog.New(slog.DiscardHandler), Groups: f.groups,
	})
	f.topic("off", ledHere(1)...)
	f.topic("on", ledHere(1)...)
	f.produce("off", 0, batch(1000, "a"))
	f.produce("on", 0, batch(1000, "a"))
	for _, version := range []int16{0, 2, 3, 4} {
		resp := f.call(legacyFetch(version, 1<<20, fetchPart{topic: "off"}, fetchPart{topic: "on"})).(*kmsg.FetchResponse)
		off, on := resp.Topics[0].Partitions[0], resp.Topics[1].Partitions[0]
		wantCode, wantHW := kerr.UnsupportedVersion.Code, int64(-1)
		if version >= 4 {
			wantCode, wantHW = 0, 1
		}
		if off.ErrorCode != wantCode || off.HighWatermark != wantHW || (len(off.RecordBatches) > 0) != (version >= 4) {
			t.Errorf("v%d off: error %d high watermark %d with %d bytes; want error %d, high watermark %d", version, off.ErrorCode, off.HighWatermark, len(off.RecordBatches), wantCode, wantHW)
		}
		if off.RecordBatches == nil {
			t.Errorf("v%d off: null records, which sarama cannot decode; want empty", version)
		}
		if on.ErrorCode != 0 || on.HighWatermark != 1 || len(on.RecordBatches) == 0 {
			t.Errorf("v%d on: error %d high watermark %d with %d bytes", version, on.ErrorCode, on.HighWatermark, len(on.RecordBatches))
		}
	}
}
