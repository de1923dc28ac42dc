package handler_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"
)

// TestRegisteredVersionsAreKafka39s: every API kq serves is served over
// exactly Kafka 3.9's range (ZooKeeper mode, franz-go's kversion.V3_9_0),
// from v0 as Kafka 3.9 does, so clients pinned to old versions (sarama,
// older librdkafka and Java clients) find the versions they were written for.
func TestRegisteredVersionsAreKafka39s(t *testing.T) {
	f := newFixture(t)
	v39 := kversion.V3_9_0()
	keys := f.h.ApiKeys()
	if len(keys) == 0 {
		t.Fatal("no API registered")
	}
	for _, k := range keys {
		kafkaMax, ok := v39.LookupMaxKeyVersion(k.ApiKey)
		if !ok || k.MinVersion != 0 || k.MaxVersion != kafkaMax {
			t.Errorf("%s (key %d): served v%d-v%d, Kafka 3.9 serves v0-v%d (listed: %v)",
				kmsg.NameForKey(k.ApiKey), k.ApiKey, k.MinVersion, k.MaxVersion, kafkaMax, ok)
		}
	}
}
