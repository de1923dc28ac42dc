package znode

import (
	"testing"

	"github.com/kqhq/kq/store/meta"
)

func TestPaths(t *testing.T) {
	tests := map[string]string{
		BrokerPath(3):                    "/brokers/ids/3",
		TopicPath("orders"):              "/brokers/topics/orders",
		PartitionStatePath("orders", 12): "/brokers/topics/orders/partitions/12/state",
		DeleteTopicPath("orders"):        "/admin/delete_topics/orders",
		ConfigEntityPath(ConfigTypeBroker, DefaultConfigEntity): "/config/brokers/<default>",
		ConsumerOffsetPath("g", "t", 2):                         "/consumers/g/offsets/t/2",
		ACLResourcePath("Topic", "t"):                           "/kafka-acl/Topic/t",
		ExtendedACLResourcePath("PREFIXED", "Group", "g"):       "/kafka-acl-extended/prefixed/Group/g",
		IsrChangeSeqPrefix:                                      "/isr_change_notification/isr_change_",
		ConfigChangeSeqPrefix:                                   "/config/changes/config_change_",
	}
	for got, want := range tests {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	for _, p := range PersistentPaths() {
		if err := meta.ValidatePath(p); err != nil {
			t.Errorf("persistent path %s: %v", p, err)
		}
	}
}

func TestSequenceNumber(t *testing.T) {
	tests := []struct {
		name string
		want int64
		ok   bool
	}{
		{"/isr_change_notification/isr_change_0000000012", 12, true},
		{"isr_change_2147483647", 2147483647, true},
		{"isr_change_-000000001", -1, true},
		{"isr_change_12", 0, false},
		{"config_change_0000000001", 0, false},
		{"isr_change_000000001x", 0, false},
	}
	for _, tt := range tests {
		n, err := SequenceNumber(tt.name, IsrChangePrefix)
		if (err == nil) != tt.ok || n != tt.want {
			t.Errorf("SequenceNumber(%q) = %d, %v", tt.name, n, err)
		}
	}
}

func TestSanitizeEntityName(t *testing.T) {
	tests := map[string]string{
		"alice":           "alice",
		"CN=a b,O=c":      "CN%3Da%20b%2CO%3Dc",
		"user*":           "user%2A",
		"tilde~ok":        "tilde~ok",
		"slash/and:colon": "slash%2Fand%3Acolon",
	}
	for in, want := range tests {
		got := SanitizeEntityName(in)
		if got != want {
			t.Errorf("SanitizeEntityName(%q) = %q, want %q", in, got, want)
		}
		if back, err := DesanitizeEntityName(got); err != nil || back != in {
			t.Errorf("DesanitizeEntityName(%q) = %q, %v", got, back, err)
		}
	}
}
