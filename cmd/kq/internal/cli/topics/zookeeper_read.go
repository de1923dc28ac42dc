package topics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"sync"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/daemon/placement"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// zooKeeperAdmin is topicsAdmin over the cluster metadata itself, as
// Kafka's kafka-topics --zookeeper: it reads and writes Kafka's znodes and
// the brokers' controller acts on what it writes, exactly as for a topic
// created through a broker. Reads set no watches.
type zooKeeperAdmin struct {
	store meta.Store
	zk    *kafkazk.Client
	// notes receives what Kafka's tool prints besides data, such as
	// "Topic t is marked for deletion."
	notes io.Writer
	// defaults describes configs as a broker with Kafka's default
	// configuration would: the brokers' own files are not in ZooKeeper.
	defaults func() (*config.Broker, error)
}

var _ topicsAdmin = (*zooKeeperAdmin)(nil)

func newZooKeeperAdmin(s meta.Store, notes io.Writer) *zooKeeperAdmin {
	log := slog.New(slog.NewTextHandler(notes, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return &zooKeeperAdmin{
		store: s, zk: kafkazk.New(s, log), notes: notes,
		defaults: sync.OnceValues(func() (*config.Broker, error) {
			b, _, err := config.Parse(nil)
			return b, err
		}),
	}
}

// Topics describes the named topics (every topic when names is empty),
// sorted by name: replicas from the assignment znode, leader and ISR from
// the partition state znodes (leader -1 while the controller has written
// none). A name without a topic comes back with Err set.
func (z *zooKeeperAdmin) Topics(ctx context.Context, names ...string) ([]admin.Topic, error) {
	all := len(names) == 0
	if all {
		var err error
		if names, err = z.topicNames(ctx); err != nil {
			return nil, err
		}
	}
	out := make([]admin.Topic, 0, len(names))
	for _, name := range names {
		t, err := z.topic(ctx, name)
		switch {
		case errors.Is(err, meta.ErrNoNode) && all:
			continue // deleted since the listing
		case errors.Is(err, meta.ErrNoNode):
			t = admin.Topic{Name: name, Err: fmt.Errorf("%w: topic '%s' does not exist", kerr.UnknownTopicOrPartition, name)}
		case err != nil:
			return nil, err
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (z *zooKeeperAdmin) topicNames(ctx context.Context) ([]string, error) {
	names, _, err := z.store.Children(ctx, znode.TopicsPath)
	if errors.Is(err, meta.ErrNoNode) {
		return nil, nil // no broker has started on this ZooKeeper yet
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", znode.TopicsPath, err)
	}
	return names, nil
}

func (z *zooKeeperAdmin) assignment(ctx context.Context, name string) (znode.TopicAssignment, error) {
	path := znode.TopicPath(name)
	data, _, err := z.store.Get(ctx, path)
	if err != nil {
		return znode.TopicAssignment{}, fmt.Errorf("read %s: %w", path, err)
	}
	return znode.DecodeTopicAssignment(path, data)
}

func (z *zooKeeperAdmin) topic(ctx context.Context, name string) (admin.Topic, error) {
	a, err := z.assignment(ctx, name)
	if err != nil {
		return admin.Topic{}, err
	}
	states, err := z.zk.PartitionStates(ctx, name)
	if err != nil {
		return admin.Topic{}, err
	}
	t := admin.Topic{Name: name, Internal: placement.IsInternalTopic(name)}
	if !a.TopicID.IsZero() {
		t.ID = a.TopicID.String()
	}
	for id, replicas := range a.Partitions {
		p := admin.Partition{ID: id, Leader: -1, Replicas: replicas, ISR: []int32{}}
		if s, ok := states[id]; ok {
			p.Leader, p.LeaderEpoch, p.ISR = s.Leader, s.LeaderEpoch, s.ISR
		}
		t.Partitions = append(t.Partitions, p)
	}
	sort.Slice(t.Partitions, func(i, j int) bool { return t.Partitions[i].ID < t.Partitions[j].ID })
	return t, nil
}

// Cluster reads the cluster id, the controller and the live brokers'
// registrations (each broker's first advertised endpoint).
func (z *zooKeeperAdmin) Cluster(ctx context.Context) (admin.Cluster, error) {
	id, err := z.clusterID(ctx)
	if err != nil {
		return admin.Cluster{}, err
	}
	controller, _, err := z.zk.Controller(ctx)
	if err != nil {
		return admin.Cluster{}, err
	}
	brokers, err := z.liveBrokers(ctx)
	if err != nil {
		return admin.Cluster{}, err
	}
	return admin.Cluster{ID: id, Controller: controller, Brokers: brokers}, nil
}

// clusterID reads /cluster/id without creating it: the first broker does.
func (z *zooKeeperAdmin) clusterID(ctx context.Context) (string, error) {
	data, _, err := z.store.Get(ctx, znode.ClusterIDPath)
	if errors.Is(err, meta.ErrNoNode) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", znode.ClusterIDPath, err)
	}
	v, err := znode.DecodeClusterID(znode.ClusterIDPath, data)
	return v.ID, err
}

// liveBrokers reads /brokers/ids, sorted by id. A registration that goes
// away while it is read is left out.
func (z *zooKeeperAdmin) liveBrokers(ctx context.Context) ([]admin.Broker, error) {
	names, _, err := z.store.Children(ctx, znode.BrokerIDsPath)
	if errors.Is(err, meta.ErrNoNode) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", znode.BrokerIDsPath, err)
	}
	var out []admin.Broker
	for _, name := range names {
		b, err := z.broker(ctx, name)
		if errors.Is(err, meta.ErrNoNode) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (z *zooKeeperAdmin) broker(ctx context.Context, name string) (admin.Broker, error) {
	id, err := strconv.ParseInt(name, 10, 32)
	if err != nil {
		return admin.Broker{}, fmt.Errorf("%s/%s: broker id is not a number", znode.BrokerIDsPath, name)
	}
	path := znode.BrokerPath(int32(id))
	data, _, err := z.store.Get(ctx, path)
	if err != nil {
		return admin.Broker{}, err
	}
	reg, err := znode.DecodeBrokerRegistration(path, data)
	if err != nil {
		return admin.Broker{}, err
	}
	b := admin.Broker{ID: int32(id), Rack: reg.Rack}
	if len(reg.Endpoints) > 0 {
		b.Host, b.Port = reg.Endpoints[0].Host, reg.Endpoints[0].Port
	}
	return b, nil
}

// DescribeConfigs describes a topic's configs: its overrides from
// /config/topics/<topic> over Kafka's defaults, so the overrides (what
// describe prints) come out as a broker would answer them.
func (z *zooKeeperAdmin) DescribeConfigs(ctx context.Context, res admin.Resource) ([]admin.ConfigEntry, error) {
	if res.Type != admin.TopicResource {
		return nil, fmt.Errorf("describe configs of %s: only topic configs are read from ZooKeeper", res)
	}
	overrides, err := z.zk.EntityConfig(ctx, znode.ConfigTypeTopic, res.Name)
	if err != nil {
		return nil, err
	}
	b, err := z.defaults()
	if err != nil {
		return nil, fmt.Errorf("parse Kafka's default broker configuration: %w", err)
	}
	entries := b.DescribeTopic(overrides, nil, false, false)
	out := make([]admin.ConfigEntry, 0, len(entries))
	for _, e := range entries {
		out = append(out, admin.ConfigEntry{
			Name: e.Name, Value: e.Value, Source: admin.ConfigSource(e.Source),
			Sensitive: e.Sensitive, ReadOnly: e.ReadOnly,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
