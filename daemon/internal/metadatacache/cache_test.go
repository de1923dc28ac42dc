package metadatacache

import (
	"errors"
	"testing"
)

func TestApplyMergesPartitionsAndDeletes(t *testing.T) {
	id := [16]byte{1}
	c := New("cluster")
	c.Apply(Update{ControllerID: 1, Brokers: []Broker{{ID: 1}}, Topics: []TopicUpdate{{
		Name: "t", ID: id,
		Partitions: []Partition{{Partition: 0, Leader: 1, Replicas: []int32{1}}, {Partition: 1, Leader: 1}},
	}}})
	c.Apply(Update{ControllerID: 1, Brokers: []Broker{{ID: 1}, {ID: 2}}, Topics: []TopicUpdate{{
		Name: "t", ID: id, Partitions: []Partition{{Partition: 1, Leader: 2, LeaderEpoch: 1}},
	}}})
	s := c.Load()
	if got := len(s.Brokers); got != 2 {
		t.Fatalf("brokers = %d, want 2", got)
	}
	p0, _ := s.Partition("t", 0)
	p1, _ := s.Partition("t", 1)
	if p0.Leader != 1 || p1.Leader != 2 || p1.LeaderEpoch != 1 {
		t.Fatalf("partitions = %+v %+v", p0, p1)
	}
	if n, ok := s.TopicName(id); !ok || n != "t" {
		t.Fatalf("TopicName = %q %v", n, ok)
	}

	changed := c.Changed()
	c.Apply(Update{ControllerID: 1, Topics: []TopicUpdate{{Name: "t", Partitions: []Partition{{Leader: LeaderDuringDelete}}}}})
	select {
	case <-changed:
	default:
		t.Fatal("Changed not closed by Apply")
	}
	if _, ok := c.Load().Topic("t"); ok {
		t.Fatal("topic not removed")
	}
	if _, ok := c.Load().TopicName(id); ok {
		t.Fatal("topic id not removed")
	}
	if _, ok := s.Topic("t"); !ok {
		t.Fatal("old snapshot was modified")
	}
}

func TestRecreatedTopicDropsOldPartitions(t *testing.T) {
	c := New("c")
	c.Apply(Update{Topics: []TopicUpdate{{Name: "t", ID: [16]byte{1}, Partitions: []Partition{{Partition: 0}, {Partition: 1}}}}})
	c.Apply(Update{Topics: []TopicUpdate{{Name: "t", ID: [16]byte{2}, Partitions: []Partition{{Partition: 0}}}}})
	tp, _ := c.Load().Topic("t")
	if len(tp.Partitions) != 1 || tp.ID != ([16]byte{2}) {
		t.Fatalf("topic = %+v", tp)
	}
	if _, ok := c.Load().TopicName([16]byte{1}); ok {
		t.Fatal("stale id kept")
	}
}

func TestApplyRefusesStaleControllerEpoch(t *testing.T) {
	c := New("c")
	if err := c.Apply(Update{ControllerID: 2, ControllerEpoch: 5, Brokers: []Broker{{ID: 2}}}); err != nil {
		t.Fatal(err)
	}
	err := c.Apply(Update{ControllerID: 1, ControllerEpoch: 4, Brokers: []Broker{{ID: 1}}})
	if !errors.Is(err, ErrStaleControllerEpoch) {
		t.Fatalf("err = %v, want ErrStaleControllerEpoch", err)
	}
	if s := c.Load(); s.ControllerID != 2 || len(s.Brokers) != 1 {
		t.Fatalf("stale update applied: %+v", s)
	}
}

// A topic is known through its partitions: an update without any never
// makes the cache show a topic, nor replaces a known one by an empty one.
func TestTopicWithoutPartitionsIsNotApplied(t *testing.T) {
	tests := []struct {
		name    string
		before  []TopicUpdate
		update  TopicUpdate
		wantLen int // -1: the topic is absent
		wantID  [16]byte
	}{
		{name: "new topic", update: TopicUpdate{Name: "t", ID: [16]byte{1}}, wantLen: -1},
		{name: "new topic without id", update: TopicUpdate{Name: "t"}, wantLen: -1},
		{name: "recreated topic",
			before: []TopicUpdate{{Name: "t", ID: [16]byte{1}, Partitions: []Partition{{Partition: 0}, {Partition: 1}}}},
			update: TopicUpdate{Name: "t", ID: [16]byte{2}}, wantLen: 2, wantID: [16]byte{1}},
		{name: "known topic keeps its partitions",
			before: []TopicUpdate{{Name: "t", ID: [16]byte{1}, Partitions: []Partition{{Partition: 0}}}},
			update: TopicUpdate{Name: "t", ID: [16]byte{1}}, wantLen: 1, wantID: [16]byte{1}},
		{name: "new topic with its partitions",
			update:  TopicUpdate{Name: "t", ID: [16]byte{3}, Partitions: []Partition{{Partition: 0, Leader: 1}, {Partition: 1, Leader: 1}}},
			wantLen: 2, wantID: [16]byte{3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New("c")
			if err := c.Apply(Update{Topics: tc.before}); err != nil {
				t.Fatal(err)
			}
			if err := c.Apply(Update{Topics: []TopicUpdate{tc.update}}); err != nil {
				t.Fatal(err)
			}
			tp, ok := c.Load().Topic("t")
			switch {
			case tc.wantLen < 0 && ok:
				t.Fatalf("topic shown: %+v", tp)
			case tc.wantLen >= 0 && (!ok || len(tp.Partitions) != tc.wantLen || tp.ID != tc.wantID):
				t.Fatalf("topic %+v (shown %v), want %d partitions and id %v", tp, ok, tc.wantLen, tc.wantID)
			}
		})
	}
}
