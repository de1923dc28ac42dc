package compat

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// TestKcatOldProtocolVersions: librdkafka without ApiVersions uses the
// versions of broker.version.fallback: 0.9.0 means Produce v1 and Fetch v1
// with magic 0 message sets (LZ4 in Kafka's KAFKA-3160 framing), 0.10.0
// means Produce v2 and Fetch v2 with magic 1. kcat produces and consumes
// back every codec those formats know, and consumes what a current kcat
// wrote (record batches, down-converted).
func TestKcatOldProtocolVersions(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	var in strings.Builder
	for i := range 300 {
		fmt.Fprintf(&in, "key%d:value %d %s\n", i%5, i, strings.Repeat("x", i%40))
	}
	for _, fallback := range []string{"0.9.0", "0.10.0"} {
		old := []string{"-X", "api.version.request=false", "-X", "broker.version.fallback=" + fallback}
		for _, codec := range []string{"none", "gzip", "snappy", "lz4"} {
			t.Run(fallback+"/"+codec, func(t *testing.T) {
				topic := "kcat-" + strings.ReplaceAll(fallback, ".", "") + "-" + codec
				createTopic(t, b.Admin(), topic, 1, nil)
				kcatProduce(t, b.Addr, topic, in.String(), append(old, "-z", codec)...)
				if got := kcatConsume(t, b.Addr, topic, old...); got != in.String() {
					t.Fatalf("old kcat read back differs from what it wrote:\n%.300s", got)
				}
				if got := kcatConsume(t, b.Addr, topic); got != in.String() {
					t.Fatalf("current kcat reads differently what old kcat wrote:\n%.300s", got)
				}
				checkLegacyTimestamps(t, b.Addr, topic, fallback == "0.9.0")
			})
		}
		t.Run(fallback+"/reads record batches", func(t *testing.T) {
			topic := "kcat-new-" + strings.ReplaceAll(fallback, ".", "")
			createTopic(t, b.Admin(), topic, 1, nil)
			kcatProduce(t, b.Addr, topic, in.String(), "-z", "zstd")
			if got := kcatConsume(t, b.Addr, topic, old...); got != in.String() {
				t.Fatalf("old kcat reads differently what a current kcat wrote:\n%.300s", got)
			}
		})
	}
}

func kcatProduce(t *testing.T, addr, topic, input string, args ...string) {
	t.Helper()
	res := harness.Kcat(t, strings.NewReader(input), append([]string{"-b", addr, "-P", "-t", topic, "-K:"}, args...)...)
	if res.Code != 0 {
		t.Fatalf("kcat -P %v: exit %d: %s", args, res.Code, res.Stderr)
	}
}

func kcatConsume(t *testing.T, addr, topic string, args ...string) string {
	t.Helper()
	res := harness.Kcat(t, nil, append([]string{"-b", addr, "-C", "-t", topic, "-o", "beginning", "-e", "-f", "%k:%s\n"}, args...)...)
	if res.Code != 0 {
		t.Fatalf("kcat -C %v: exit %d: %s", args, res.Code, res.Stderr)
	}
	return res.Stdout
}

// checkLegacyTimestamps tells which message format kcat really sent: magic
// 0 messages, converted, have no timestamp (-1); magic 1 messages keep
// librdkafka's.
func checkLegacyTimestamps(t *testing.T, addr, topic string, magic0 bool) {
	t.Helper()
	for _, r := range consumeN(t, addr, topic, 1) {
		if ts := r.Timestamp.UnixMilli(); (ts == -1) != magic0 {
			t.Fatalf("stored timestamp %d: the produce was not in the expected message format (magic 0: %v)", ts, magic0)
		}
	}
}
