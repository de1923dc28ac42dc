package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kadm"
)

// LogDir is one log directory of one broker, as DescribeLogDirs reports it.
type LogDir struct {
	Broker int32  `json:"broker"`
	Dir    string `json:"dir"`
	// Err is set for a directory the broker could not describe
	// (KAFKA_STORAGE_ERROR: the directory is offline).
	Err error `json:"-"`
	// TotalBytes and UsableBytes describe the volume holding the directory;
	// -1 when the broker does not report them (before Kafka 3.3).
	TotalBytes  int64             `json:"total_bytes"`
	UsableBytes int64             `json:"usable_bytes"`
	Partitions  []LogDirPartition `json:"partitions"` // sorted by topic, partition
}

// LogDirPartition is one partition's replica in a log directory.
type LogDirPartition struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	// Size is the bytes of the replica's log segments.
	Size int64 `json:"size"`
	// OffsetLag is max(high watermark - log end offset, 0) for a current
	// replica, as Kafka computes it (in practice 0), and how far a future
	// replica (a move between dirs) is behind the current one.
	OffsetLag int64 `json:"offset_lag"`
	IsFuture  bool  `json:"is_future"`
}

// Size is the bytes of every partition in the directory.
func (d LogDir) Size() int64 {
	var n int64
	for _, p := range d.Partitions {
		n += p.Size
	}
	return n
}

// LogDirs describes every log directory of every live broker, sorted by
// broker and directory. When some brokers could not be asked, the dirs of
// the others are returned along with an error naming the failures.
func (c *Client) LogDirs(ctx context.Context) ([]LogDir, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	all, err := c.kadm.DescribeAllLogDirs(ctx, nil)
	var out []LogDir
	all.Each(func(d kadm.DescribedLogDir) { out = append(out, logDirOf(d)) })
	slices.SortFunc(out, func(a, b LogDir) int {
		if a.Broker != b.Broker {
			return int(a.Broker) - int(b.Broker)
		}
		return strings.Compare(a.Dir, b.Dir)
	})
	if err != nil {
		return out, fmt.Errorf("describe log dirs: %w", err)
	}
	return out, nil
}

func logDirOf(d kadm.DescribedLogDir) LogDir {
	out := LogDir{Broker: d.Broker, Dir: d.Dir, Err: d.Err, TotalBytes: d.TotalBytes, UsableBytes: d.UsableBytes, Partitions: []LogDirPartition{}}
	for _, p := range d.Topics.Sorted() {
		out.Partitions = append(out.Partitions, LogDirPartition{Topic: p.Topic, Partition: p.Partition, Size: p.Size, OffsetLag: p.OffsetLag, IsFuture: p.IsFuture})
	}
	return out
}

// TopicSizes returns, per topic, the bytes its replicas occupy on the
// brokers' disks: the sum over every replica (leaders and followers; not
// future replicas, which are copies in flight), as Kafka's
// kafka-log-dirs.sh users add it up. Divide by the replication factor for
// the size of one copy of the data. Brokers that could not be asked are
// left out and named in the error, with the sizes of the rest returned.
func (c *Client) TopicSizes(ctx context.Context) (map[string]int64, error) {
	dirs, err := c.LogDirs(ctx)
	sizes := map[string]int64{}
	for _, d := range dirs {
		for _, p := range d.Partitions {
			if !p.IsFuture {
				sizes[p.Topic] += p.Size
			}
		}
	}
	return sizes, err
}

// LogDirsOf describes the log directories of the given brokers, sorted by
// broker and directory, as kafka-log-dirs.sh asks each one. Brokers that
// could not be asked are left out and named in the error.
func (c *Client) LogDirsOf(ctx context.Context, brokers []int32) ([]LogDir, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var out []LogDir
	var errs []error
	for _, b := range brokers {
		dirs, err := c.kadm.DescribeBrokerLogDirs(ctx, b, nil)
		if err != nil {
			errs = append(errs, fmt.Errorf("broker %d: %w", b, err))
			continue
		}
		dirs.Each(func(d kadm.DescribedLogDir) { out = append(out, logDirOf(d)) })
	}
	slices.SortFunc(out, func(a, b LogDir) int {
		if a.Broker != b.Broker {
			return int(a.Broker) - int(b.Broker)
		}
		return strings.Compare(a.Dir, b.Dir)
	})
	if len(errs) > 0 {
		return out, fmt.Errorf("describe log dirs: %w", errors.Join(errs...))
	}
	return out, nil
}
