package compat

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestKcatMetadataJSON(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	createTopic(t, b.Admin(), "meta", 3, nil)
	res := harness.Kcat(t, nil, "-b", b.Addr, "-L", "-J")
	if res.Code != 0 {
		t.Fatalf("kcat -L: exit %d: %s", res.Code, res.Stderr)
	}
	var md struct {
		Brokers []struct {
			ID   int32  `json:"id"`
			Name string `json:"name"`
		} `json:"brokers"`
		Topics []struct {
			Topic      string `json:"topic"`
			Partitions []struct {
				Partition int32 `json:"partition"`
				Leader    int32 `json:"leader"`
			} `json:"partitions"`
		} `json:"topics"`
	}
	if err := json.Unmarshal([]byte(res.Stdout), &md); err != nil {
		t.Fatalf("kcat -L -J output: %v\n%s", err, res.Stdout)
	}
	if len(md.Brokers) != 1 || md.Brokers[0].Name != b.Addr {
		t.Fatalf("brokers = %+v, want one at %s", md.Brokers, b.Addr)
	}
	if len(md.Topics) != 1 || md.Topics[0].Topic != "meta" || len(md.Topics[0].Partitions) != 3 || md.Topics[0].Partitions[0].Leader != 1 {
		t.Fatalf("topics = %+v", md.Topics)
	}
}

func TestKcatProduceConsumeEveryCodec(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	for _, codec := range []string{"none", "gzip", "snappy", "lz4", "zstd"} {
		t.Run(codec, func(t *testing.T) {
			topic := "kcat-" + codec
			createTopic(t, b.Admin(), topic, 1, nil)
			var in strings.Builder
			for i := range 500 {
				fmt.Fprintf(&in, "key%d:value %d\n", i%5, i)
			}
			res := harness.Kcat(t, strings.NewReader(in.String()), "-b", b.Addr, "-P", "-t", topic, "-K:", "-z", codec)
			if res.Code != 0 {
				t.Fatalf("kcat -P: exit %d: %s", res.Code, res.Stderr)
			}
			res = harness.Kcat(t, nil, "-b", b.Addr, "-C", "-t", topic, "-o", "beginning", "-e", "-f", "%k:%s\n")
			if res.Code != 0 {
				t.Fatalf("kcat -C: exit %d: %s", res.Code, res.Stderr)
			}
			if res.Stdout != in.String() {
				t.Fatalf("consumed output differs from produced input:\n%.300s", res.Stdout)
			}
		})
	}
}
