// Package factory hands commands their dependencies: streams, resolved
// global options, and cluster clients built on first use. A command that
// never talks to a cluster never dials one; tests swap the constructors for
// in-memory fakes.
package factory

import (
	"context"
	"sync"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// Admin is every cluster operation a command may use. *admin.Client and
// *admintest.Cluster implement it; commands declare the narrower interface
// they need.
type Admin interface {
	Topics(ctx context.Context, names ...string) ([]admin.Topic, error)
	Cluster(ctx context.Context) (admin.Cluster, error)
	CreateTopic(ctx context.Context, spec admin.TopicSpec) (admin.CreatedTopic, error)
	DeleteTopics(ctx context.Context, names ...string) error
	AddPartitions(ctx context.Context, topic string, total int32, assignment [][]int32) error
	DescribeConfigs(ctx context.Context, res admin.Resource) ([]admin.ConfigEntry, error)
	AlterConfigs(ctx context.Context, res admin.Resource, changes []admin.ConfigChange) error
	ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]admin.PartitionOffset, error)
	Close()
}

// Producer sends records; *admin.Producer implements it.
type Producer interface {
	Prepare(ctx context.Context, topics ...string) error
	Produce(ctx context.Context, rec admin.Record, done func(admin.Record, error))
	// SendValue is Produce of a keyless record stamped sent, without
	// Produce's costs per record: the load generator's path.
	SendValue(ctx context.Context, topic string, value []byte, sent time.Time, done func(sent time.Time, err error))
	Flush(ctx context.Context) error
	Close()
}

// Consumer reads records; *admin.Consumer implements it.
type Consumer interface {
	Poll(ctx context.Context) ([]admin.Record, error)
	// Position is the offset after the last record seen in a partition,
	// transaction markers included.
	Position(topic string, partition int32) (int64, bool)
	Close()
}

// Options are the global flags after the environment and the profile are
// applied.
type Options struct {
	// BootstrapServer is --bootstrap-server, KQ_BOOTSTRAP_SERVER or the
	// profile's; "" when none was given anywhere.
	BootstrapServer string
	CommandConfig   string
	// ProfileProperties come from the profile; Overrides from -X. Both
	// are Kafka client properties.
	ProfileProperties map[string]string
	Overrides         map[string]string
	Output            output.Format
	NoColor           bool
	Profile           string
}

// Factory is shared by every command of one kq invocation.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Getenv    func(string) string
	Now       func() time.Time

	// Options resolves the global options; valid once flags are parsed.
	Options func() (*Options, error)
	// ClientConfig is how to reach the cluster.
	ClientConfig func() (admin.ClientConfig, error)
	// Admin returns the invocation's admin client, built on first use.
	Admin       func() (Admin, error)
	NewProducer func(admin.ProducerConfig) (Producer, error)
	NewConsumer func(admin.ConsumerConfig) (Consumer, error)

	mu      sync.Mutex
	closers []func()
	use     ClientUse
	built   *admin.ClientConfig // the config ClientConfig built, once it has
}

// OnClose registers fn to run when the invocation ends.
func (f *Factory) OnClose(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closers = append(f.closers, fn)
}

// Close releases what the invocation built, last built first.
func (f *Factory) Close() {
	f.mu.Lock()
	closers := f.closers
	f.closers = nil
	f.mu.Unlock()
	for i := len(closers) - 1; i >= 0; i-- {
		closers[i]()
	}
}

// Output is the resolved --output format, Table when options cannot be
// resolved (the error surfaces from the next cluster call).
func (f *Factory) Output() output.Format {
	opts, err := f.Options()
	if err != nil || opts.Output == "" {
		return output.Table
	}
	return opts.Output
}
