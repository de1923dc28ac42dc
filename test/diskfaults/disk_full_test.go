package diskfaults

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/test/harness"
)

// mountTmpfs mounts a tmpfs of size bytes on a new directory, unmounted
// at cleanup (after the brokers using it stopped). It skips the test where
// mounting is not permitted (not root, no CAP_SYS_ADMIN): nothing the
// test suite installs can grant it.
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		t.Skipf("cannot mount a tmpfs to fill (needs root): %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fill writes a file into dir leaving about room bytes free, and returns
// a function that removes it again (space returns).
func fill(t *testing.T, dir string, room int64) (release func()) {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail) * st.Bsize
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for left := free - room; left > 0; left -= int64(len(chunk)) {
		if _, err := f.Write(chunk[:min(int64(len(chunk)), left)]); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				break
			}
			t.Fatal(err)
		}
	}
	f.Close()
	return func() {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}

// probes numbers rawProduce's records, so each is unique in the log.
var probes atomic.Int64

// rawProduce sends one acks=all Produce of one record straight to a
// broker, without client retries, and returns the partition's error.
func rawProduce(addr, topic string, p int32) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := kmsg.NewPtrProduceRequest()
	req.Acks, req.TimeoutMillis = -1, 5000
	rp := kmsg.NewProduceRequestTopicPartition()
	rp.Partition, rp.Records = p, oneRecordBatch(fmt.Sprintf("probe-%d", probes.Add(1)))
	rt := kmsg.NewProduceRequestTopic()
	rt.Topic, rt.Partitions = topic, []kmsg.ProduceRequestTopicPartition{rp}
	req.Topics = []kmsg.ProduceRequestTopic{rt}
	resp, err := cl.SeedBrokers()[0].Request(ctx, req)
	if err != nil {
		return fmt.Errorf("produce request: %w", err)
	}
	return kerr.ErrorForCode(resp.(*kmsg.ProduceResponse).Topics[0].Partitions[0].ErrorCode)
}

// A log dir fills up under an acks=all idempotent load: broker 1 keeps
// its partitions in two log dirs, one a small tmpfs that really runs out
// of space mid-append (broker 1 leads one of its partitions and follows
// the other). The append that hits ENOSPC is never acknowledged;
// the dir goes offline and its partitions answer KAFKA_STORAGE_ERROR on
// broker 1 (produce and fetch), while the partitions of its other dir keep
// being served there; the controller moves leadership of the offline dir's partitions to the
// other replicas (the log dir event), so the load goes on. When space
// returns, broker 1 restarts (as Kafka, an offline dir comes back with a
// restart), recovers the torn tail and catches up. Nothing acknowledged is
// lost, nothing duplicated, and the replicas agree byte for byte.
func TestLogDirFull(t *testing.T) {
	if testing.Short() {
		t.Skip("the full-disk scenario takes about a minute")
	}
	small := mountTmpfs(t, 16<<20)
	dirs := []string{small, filepath.Join(t.TempDir(), "logs")}
	c := startCluster(t, dirs, nil)
	const topic, partitions = "disk", int32(4)
	c.createTopic(topic, partitions, nil)
	full, healthy := c.inDir(small, topic, partitions), c.inDir(dirs[1], topic, partitions)
	if len(full) == 0 || len(healthy) == 0 {
		t.Fatalf("broker 1 keeps partitions %v on the tmpfs and %v on the other dir: want both used", full, healthy)
	}
	l := newLoad(c, topic, []int32{0, 1, 2, 3})
	stop := l.start(t)

	f := fault{what: "log dir of broker 1 full (ENOSPC)", parts: full, start: time.Now()}
	release := fill(t, small, 32<<10)
	b1 := c.brokers[1]
	topicID := c.topicID(topic)
	led := c.ledBy(1, topic, full)
	if len(led) == 0 || len(led) == len(full) {
		t.Fatalf("broker 1 leads %v of the full dir's partitions %v: want some, not all", led, full)
	}
	harness.Eventually(t, 60*time.Second, "broker 1 answers KAFKA_STORAGE_ERROR for the full dir's partitions it led", func() error {
		for _, p := range led {
			if err := rawProduce(b1.Addr, topic, p); !errors.Is(err, kerr.KafkaStorageError) {
				return fmt.Errorf("produce to partition %d: %v", p, err)
			}
			if err := rawFetch(b1.Addr, topic, topicID, p); !errors.Is(err, kerr.KafkaStorageError) {
				return fmt.Errorf("fetch from partition %d: %v", p, err)
			}
		}
		return nil
	})
	harness.Eventually(t, 30*time.Second, "leadership of the full dir's partitions moved off broker 1", func() error {
		st := c.zk.States(topic)
		for _, p := range full {
			if s := st[p]; s.Leader == 1 || s.Leader < 0 || slices.Contains(s.ISR, 1) {
				return fmt.Errorf("partition %d: %+v", p, s)
			}
		}
		return nil
	})
	for _, p := range c.ledBy(1, topic, healthy) {
		if err := rawProduce(b1.Addr, topic, p); err != nil {
			t.Errorf("partition %d on broker 1's healthy dir: %v", p, err)
		}
	}
	if err := l.waitAcked(50, 30*time.Second); err != nil {
		t.Fatalf("with the full dir offline: %v", err)
	}
	f.end = time.Now()

	r := fault{what: "space back, broker 1 restarted", parts: full, start: time.Now()}
	release()
	if err := b1.Stop(); err != nil {
		t.Fatalf("stop broker 1: %v", err)
	}
	for _, p := range full {
		if n := tornBytes(t, filepath.Join(small, fmt.Sprintf("%s-%d", topic, p))); n > 0 {
			t.Logf("partition %d: %d bytes of a torn write on broker 1's full dir (never acknowledged; recovery cuts them)", p, n)
		}
	}
	b1.Start()
	c.zk.WaitFullIsr(topic, partitions, 60*time.Second)
	if err := l.waitAcked(50, 30*time.Second); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	r.end = time.Now()
	verdict(t, c, l, stop, "log dir full", f, r)
}

// tornBytes returns how many bytes a partition directory's last segment
// holds past its last whole batch: what a write cut short by a full disk
// left.
func tornBytes(t *testing.T, dir string) int {
	t.Helper()
	segs, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("segments of %s: %v %v", dir, segs, err)
	}
	data, err := os.ReadFile(segs[len(segs)-1])
	if err != nil {
		t.Fatal(err)
	}
	whole := 0
	for _, b := range harness.SplitBatches(data) {
		whole += len(b)
	}
	return len(data) - whole
}

// rawFetch sends one Fetch of a partition from offset 0 straight to a
// broker and returns the partition's error.
func rawFetch(addr, topic string, id [16]byte, p int32) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := kmsg.NewPtrFetchRequest()
	req.ReplicaID, req.MaxWaitMillis, req.MaxBytes = -1, 100, 1<<20
	rp := kmsg.NewFetchRequestTopicPartition()
	rp.Partition, rp.PartitionMaxBytes, rp.CurrentLeaderEpoch = p, 1<<20, -1
	rt := kmsg.NewFetchRequestTopic()
	rt.Topic, rt.TopicID, rt.Partitions = topic, id, []kmsg.FetchRequestTopicPartition{rp}
	req.Topics = []kmsg.FetchRequestTopic{rt}
	resp, err := cl.SeedBrokers()[0].Request(ctx, req)
	if err != nil {
		return fmt.Errorf("fetch request: %w", err)
	}
	r := resp.(*kmsg.FetchResponse)
	if err := kerr.ErrorForCode(r.ErrorCode); err != nil {
		return err
	}
	return kerr.ErrorForCode(r.Topics[0].Partitions[0].ErrorCode)
}
