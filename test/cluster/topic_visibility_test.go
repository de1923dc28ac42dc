package cluster

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/test/harness"
)

// A new topic (or a topic's new partitions) appears on every broker whole:
// as in Kafka, no broker lists a topic before all its partitions, nor a
// partition before its leader. Topics are created and grown in a loop
// while every broker is polled for all topics and for them by name.
func TestNewTopicsAppearWhole(t *testing.T) {
	_, addrs := harness.StartLocalCluster(t, 3, nil)
	checkTopicsAppearWhole(t, addrs)
}

func TestNewTopicsAppearWholeOnZooKeeper(t *testing.T) {
	checkTopicsAppearWhole(t, seeds(startZKCluster(t, 3)))
}

func checkTopicsAppearWhole(t *testing.T, addrs []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	w := &wholeTopics{want: map[string][]int{}}
	done := make(chan struct{})
	polled := make(chan error, len(addrs))
	for _, a := range addrs {
		go func() { polled <- w.poll(ctx, a, done) }()
	}
	adm := adminFor(t, addrs[0])
	for i := range 15 {
		name, n := fmt.Sprintf("whole-%d", i), 1+i%6
		// A broker may learn of either step after the one that answered
		// it, so both counts stay acceptable.
		w.expect(name, n, n+2)
		if r, err := adm.CreateTopic(ctx, int32(n), int16(1+i%3), nil, name); err != nil || r.Err != nil {
			t.Fatalf("create %s: %v %v", name, err, r.Err)
		}
		if rs, err := adm.UpdatePartitions(ctx, n+2, name); err != nil || rs[name].Err != nil {
			t.Fatalf("create partitions of %s: %v %v", name, err, rs[name].Err)
		}
	}
	close(done)
	for range addrs {
		if err := <-polled; err != nil {
			t.Fatal(err)
		}
	}
}

// wholeTopics records the partition counts each topic may be listed with.
type wholeTopics struct {
	mu   sync.Mutex
	want map[string][]int
	seen int
}

func (w *wholeTopics) expect(topic string, counts ...int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.want[topic] = counts
}

// poll asks one broker for every topic until done, and for the topics it
// has not listed yet by name, returning the first listing out of place.
func (w *wholeTopics) poll(ctx context.Context, addr string, done <-chan struct{}) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		return err
	}
	defer cl.Close()
	broker := cl.SeedBrokers()[0]
	for {
		select {
		case <-done:
			return w.listedAny(addr)
		default:
		}
		for _, named := range []bool{false, true} {
			if err := w.check(ctx, broker, named); err != nil {
				return err
			}
		}
	}
}

func (w *wholeTopics) check(ctx context.Context, broker *kgo.Broker, named bool) error {
	req := kmsg.NewPtrMetadataRequest()
	if named {
		for _, name := range w.names() {
			rt := kmsg.NewMetadataRequestTopic()
			rt.Topic = kmsg.StringPtr(name)
			req.Topics = append(req.Topics, rt)
		}
	}
	resp, err := req.RequestWith(ctx, broker)
	if err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	for _, t := range resp.Topics {
		if err := w.checkTopic(t); err != nil {
			return err
		}
	}
	return nil
}

func (w *wholeTopics) listedAny(addr string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seen == 0 {
		return fmt.Errorf("no topic was ever listed by %s", addr)
	}
	return nil
}

func (w *wholeTopics) names() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, 0, len(w.want))
	for n := range w.want {
		out = append(out, n)
	}
	return out
}

func (w *wholeTopics) checkTopic(t kmsg.MetadataResponseTopic) error {
	if t.ErrorCode != 0 || t.Topic == nil {
		return nil // not listed: still unknown to this broker
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	counts, ok := w.want[*t.Topic]
	if !ok {
		return nil
	}
	w.seen++
	if !containsInt(counts, len(t.Partitions)) {
		return fmt.Errorf("topic %s listed with %d partitions, want one of %v", *t.Topic, len(t.Partitions), counts)
	}
	for _, p := range t.Partitions {
		if p.ErrorCode != 0 || p.Leader < 0 {
			return fmt.Errorf("topic %s partition %d listed without a leader (leader %d, error %d)", *t.Topic, p.Partition, p.Leader, p.ErrorCode)
		}
	}
	return nil
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
