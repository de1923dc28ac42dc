package pages

import (
	"testing"
	"time"

	"github.com/kqhq/kq/tui/snapshot"
)

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Minute: "1m", 15 * time.Minute: "15m", 90 * time.Second: "90s", 2 * time.Hour: "2h",
		1500 * time.Millisecond: "1.5s", 100 * time.Millisecond: "100ms",
	} {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestPartitionList(t *testing.T) {
	tp := func(topic string, p int32) snapshot.TopicPartition {
		return snapshot.TopicPartition{Topic: topic, Partition: p}
	}
	tps := []snapshot.TopicPartition{tp("orders", 0), tp("orders", 1), tp("payments", 2), tp("z", 10)}
	if got, want := partitionList(tps), "orders-0,1 payments-2 z-10"; got != want {
		t.Errorf("partitionList = %q, want %q", got, want)
	}
}
