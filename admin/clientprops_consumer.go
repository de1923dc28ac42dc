package admin

import (
	"fmt"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

func consumerRules() []propertyRule {
	return []propertyRule{
		honoured("group.id", ScopeConsumer, "kq consume reads as a member of this group, as --group (which wins)", nil),
		honoured("auto.offset.reset", ScopeConsumer, "where kq consume starts without --offset or a committed offset: earliest, latest (the default) or none (fail); kgo.ConsumeResetOffset", check(func(v string) error {
			_, err := oneOf(v, "earliest", "latest", "none")
			return err
		})),
		honoured("enable.auto.commit", ScopeConsumer, "true (the default): a group member commits what it has written out (kgo.AutoCommitMarks); false: nothing is committed (kgo.DisableAutoCommit)", func(b *propertyBuilder, v string) error {
			on, err := parseBool(v)
			b.cfg.consumer.noAutoCommit = !on
			return err
		}),
		honoured("auto.commit.interval.ms", ScopeConsumer, "kgo.AutoCommitInterval (kq's default 1000)", func(b *propertyBuilder, v string) error {
			d, err := parseMillis(v)
			if err == nil && d <= 0 {
				err = fmt.Errorf("want a positive number of milliseconds, got %q", v)
			}
			b.addGroup(kgo.AutoCommitInterval(d))
			return err
		}),
		honoured("isolation.level", ScopeConsumer, "kq consume --isolation-level: read_uncommitted or read_committed (kgo.FetchIsolationLevel)", check(func(v string) error {
			_, err := oneOf(v, "read_uncommitted", "read_committed")
			return err
		})),
		honoured("fetch.min.bytes", ScopeConsumer, "kgo.FetchMinBytes", int32Opt(ScopeConsumer, 0, kgo.FetchMinBytes)),
		honoured("fetch.max.bytes", ScopeConsumer, "kgo.FetchMaxBytes", int32Opt(ScopeConsumer, 0, kgo.FetchMaxBytes)),
		honoured("fetch.max.wait.ms", ScopeConsumer, "kgo.FetchMaxWait", millisOpt(ScopeConsumer, kgo.FetchMaxWait)),
		honoured("max.partition.fetch.bytes", ScopeConsumer, "kgo.FetchMaxPartitionBytes", int32Opt(ScopeConsumer, 0, kgo.FetchMaxPartitionBytes)),
		honoured("max.poll.records", ScopeConsumer, "the most records one poll returns (PollRecords)", func(b *propertyBuilder, v string) error {
			n, err := parseInt32(v, 1)
			b.cfg.consumer.maxPollRecords = int(n)
			return err
		}),
		honoured("check.crcs", ScopeConsumer, "true (the default) checks every batch's CRC; false is kgo.DisableFetchCRCValidation", func(b *propertyBuilder, v string) error {
			on, err := parseBool(v)
			if err == nil && !on {
				b.add(ScopeConsumer, kgo.DisableFetchCRCValidation())
			}
			return err
		}),
		honoured("client.rack", ScopeConsumer, "kgo.Rack: fetch from the closest replica (KIP-392)", func(b *propertyBuilder, v string) error {
			b.add(ScopeConsumer, kgo.Rack(v))
			return nil
		}),
		honoured("session.timeout.ms", ScopeConsumer, "kgo.SessionTimeout", groupMillis(kgo.SessionTimeout)),
		honoured("heartbeat.interval.ms", ScopeConsumer, "kgo.HeartbeatInterval", groupMillis(kgo.HeartbeatInterval)),
		honoured("max.poll.interval.ms", ScopeConsumer, "kgo.RebalanceTimeout (franz-go's counterpart)", groupMillis(kgo.RebalanceTimeout)),
		honoured("group.instance.id", ScopeConsumer, "kgo.InstanceID (static membership)", func(b *propertyBuilder, v string) error {
			b.addGroup(kgo.InstanceID(v))
			return nil
		}),
		honoured("partition.assignment.strategy", ScopeConsumer, "kgo.Balancers: RangeAssignor, RoundRobinAssignor, StickyAssignor, CooperativeStickyAssignor, in order", func(b *propertyBuilder, v string) error {
			bal, err := balancers(v)
			b.addGroup(kgo.Balancers(bal...))
			return err
		}),
		honoured("group.protocol", ScopeConsumer, "classic only (the protocol franz-go and Kafka 3.9 in ZooKeeper mode use)",
			only("KIP-848's consumer protocol needs KRaft; kq runs Kafka 3.9's ZooKeeper mode", "classic")),
		honoured("allow.auto.create.topics", ScopeConsumer, "false only: kq consume never creates the topic it reads",
			only("kq consume never creates a topic; create it with kq topics --create", "false")),
		honoured("exclude.internal.topics", ScopeConsumer, "true or false: it applies to pattern subscriptions, which kq never makes; a named internal topic is read, as in Kafka", check(func(v string) error {
			_, err := parseBool(v)
			return err
		})),
		honoured("key.deserializer", ScopeConsumer, "kq writes the bytes it reads: ByteArrayDeserializer, BytesDeserializer and StringDeserializer accepted, other classes refused", serializer("Deserializer")),
		honoured("value.deserializer", ScopeConsumer, "as key.deserializer", serializer("Deserializer")),
		refused("group.remote.assignor", ScopeConsumer, "KIP-848's consumer protocol needs KRaft; kq runs Kafka 3.9's ZooKeeper mode"),
	}
}

// consumerSettings are the consumer properties applied when the consumer
// is built.
type consumerSettings struct {
	noAutoCommit   bool
	maxPollRecords int // 0: no limit
}

func groupMillis(opt func(time.Duration) kgo.GroupOpt) func(*propertyBuilder, string) error {
	return func(b *propertyBuilder, v string) error {
		d, err := parseMillis(v)
		b.addGroup(opt(d))
		return err
	}
}

// balancers maps Kafka's assignor classes (or their short names) to
// franz-go's balancers.
func balancers(v string) ([]kgo.GroupBalancer, error) {
	var out []kgo.GroupBalancer
	for _, name := range splitList(v) {
		short := strings.ToLower(strings.TrimPrefix(name, "org.apache.kafka.clients.consumer."))
		switch short {
		case "rangeassignor", "range":
			out = append(out, kgo.RangeBalancer())
		case "roundrobinassignor", "roundrobin":
			out = append(out, kgo.RoundRobinBalancer())
		case "stickyassignor", "sticky":
			out = append(out, kgo.StickyBalancer())
		case "cooperativestickyassignor", "cooperative-sticky":
			out = append(out, kgo.CooperativeStickyBalancer())
		default:
			return nil, fmt.Errorf("%w: assignor %q (want RangeAssignor, RoundRobinAssignor, StickyAssignor or CooperativeStickyAssignor)", ErrRefusedProperty, name)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no assignor given")
	}
	return out, nil
}
