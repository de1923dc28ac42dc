package verifiable

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
)

const consumerLong = `Consume a topic as a member of a consumer group and print one JSON line per
event, as Kafka's VerifiableConsumer (the consumer of Kafka's system tests)
does: startup_complete, partitions_assigned and partitions_revoked on each
rebalance, records_consumed per poll (record_data per record with
--verbose), offsets_committed after each synchronous commit (unless
--enable-autocommit), and shutdown_complete when --max-messages are read or
the process is stopped (SIGINT, SIGTERM).

Only the classic group protocol is served by kq's brokers; --group-protocol
consumer (KIP-848) is refused. --consumer.config is --command-config.`

// ConsumerOptions are the inputs of `kq verifiable-consumer`.
type ConsumerOptions struct {
	Topic       string
	MaxMessages int64 // < 0: until stopped
	Verbose     bool
	Member      admin.MemberConfig
}

// NewCmdVerifiableConsumer returns `kq verifiable-consumer`.
func NewCmdVerifiableConsumer(f *factory.Factory) *cobra.Command {
	o := &ConsumerOptions{}
	var protocol, assignor string
	var sessionMs int
	cmd := &cobra.Command{
		Use:   "verifiable-consumer --topic TOPIC --group-id GROUP",
		Short: "Consume in a group and print JSON events, as Kafka's VerifiableConsumer",
		Long:  consumerLong,
		Example: "  kq verifiable-consumer --topic t --group-id g --max-messages 1000\n" +
			"  kq verifiable-consumer --topic t --group-id g --enable-autocommit --assignment-strategy org.apache.kafka.clients.consumer.RoundRobinAssignor",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.Topic == "" || o.Member.Group == "" {
				return clierr.Usagef("arguments --topic and --group-id are required")
			}
			if !strings.EqualFold(protocol, "classic") {
				return clierr.Usagef("--group-protocol %s: kq's brokers serve the classic group protocol only", protocol)
			}
			o.Member.Topics = []string{o.Topic}
			o.Member.SessionTimeout = time.Duration(sessionMs) * time.Millisecond
			o.Member.Assignors = strings.Split(assignor, ",")
			return runConsumer(cmd.Context(), f, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Topic, "topic", "", "Consume messages from this `topic` (required)")
	fl.StringVar(&o.Member.Group, "group-id", "", "The consumer `group` shared among the members (required)")
	fl.StringVar(&o.Member.InstanceID, "group-instance-id", "", "A unique identifier of the consumer instance (a static member)")
	fl.StringVar(&protocol, "group-protocol", "classic", "Group protocol: classic (consumer, KIP-848, is not served by kq)")
	fl.String("group-remote-assignor", "uniform", "Group remote assignor; only used with --group-protocol consumer")
	fl.Int64Var(&o.MaxMessages, "max-messages", -1, "Consume this many messages; -1 consumes until stopped")
	fl.IntVar(&sessionMs, "session-timeout", 30000, "The consumer's session timeout, in `ms`")
	fl.BoolVar(&o.Verbose, "verbose", false, "Print a record_data event for every record")
	fl.BoolVar(&o.Member.AutoCommit, "enable-autocommit", false, "Commit offsets automatically instead of after each poll")
	fl.StringVar(&o.Member.Reset, "reset-policy", "earliest", "Where to start without a committed offset: earliest, latest or none")
	fl.StringVar(&assignor, "assignment-strategy", "org.apache.kafka.clients.consumer.RangeAssignor", "Partition assignment `strategy` (Kafka's assignor class names, comma separated)")
	aliasCommandConfig(cmd, "consumer.config")
	addBrokerList(cmd)
	_ = cmd.RegisterFlagCompletionFunc("topic", complete.Topics(f))
	return cmd
}

// consumer is the loop's state: what it read and where to print.
type consumer struct {
	m        *admin.MemberConsumer
	pr       *printer
	o        *ConsumerOptions
	consumed int64
}

func runConsumer(ctx context.Context, f *factory.Factory, o *ConsumerOptions) error {
	f.UseClient(factory.ClientUse{Scopes: []admin.Scope{admin.ScopeConsumer}, Command: "kq verifiable-consumer"})
	cfg, err := f.ClientConfig()
	if err != nil {
		return err
	}
	// The --consumer.config file's isolation.level applies; the flags win
	// over its group settings, as in Kafka.
	o.Member.ReadCommitted = cfg.Properties["isolation.level"] == "read_committed"
	pr := &printer{out: f.IOStreams.Out, now: f.Now}
	o.Member.OnAssigned = func(p map[string][]int32) {
		pr.print(partitionsEvent{pr.head("partitions_assigned"), partitionList(p)})
	}
	o.Member.OnRevoked = func(p map[string][]int32) { pr.print(partitionsEvent{pr.head("partitions_revoked"), partitionList(p)}) }
	m, err := admin.NewMemberConsumer(cfg, o.Member)
	if err != nil {
		return clierr.Usage(err)
	}
	c := &consumer{m: m, pr: pr, o: o}
	pr.print(pr.head("startup_complete"))
	err = c.loop(ctx)
	m.Close()
	pr.print(pr.head("shutdown_complete"))
	if ctx.Err() != nil {
		return clierr.ErrInterrupted
	}
	return err
}

func (c *consumer) finished() bool { return c.o.MaxMessages >= 0 && c.consumed >= c.o.MaxMessages }

func (c *consumer) loop(ctx context.Context) error {
	for !c.finished() {
		recs, err := c.m.Poll(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		}
		if len(recs) == 0 {
			continue
		}
		offsets := c.received(recs)
		if !c.o.Member.AutoCommit {
			c.commit(ctx, offsets)
		}
	}
	return nil
}

// received reports one poll's records per partition, up to
// --max-messages, and returns the offsets to commit.
func (c *consumer) received(recs []admin.Record) map[string]map[int32]int64 {
	byPart := map[partition][]admin.Record{}
	var order []partition
	for _, r := range recs {
		tp := partition{r.Topic, r.Partition}
		if _, ok := byPart[tp]; !ok {
			order = append(order, tp)
		}
		byPart[tp] = append(byPart[tp], r)
	}
	offsets := map[string]map[int32]int64{}
	summaries := []setSummary{}
	for _, tp := range order {
		part := byPart[tp]
		if c.o.MaxMessages >= 0 && c.consumed+int64(len(part)) > c.o.MaxMessages {
			part = part[:c.o.MaxMessages-c.consumed]
		}
		if len(part) == 0 {
			continue
		}
		first, last := part[0].Offset, part[len(part)-1].Offset
		if offsets[tp.Topic] == nil {
			offsets[tp.Topic] = map[int32]int64{}
		}
		offsets[tp.Topic][tp.Partition] = last + 1
		summaries = append(summaries, setSummary{tp.Topic, tp.Partition, int64(len(part)), first, last})
		if c.o.Verbose {
			for _, r := range part {
				c.pr.print(recordData{c.pr.head("record_data"), text(r.Key), text(r.Value), r.Topic, r.Partition, r.Offset})
			}
		}
		if c.consumed += int64(len(part)); c.finished() {
			break
		}
	}
	c.pr.print(recordsConsumed{c.pr.head("records_consumed"), int64(len(recs)), summaries})
	return offsets
}

func (c *consumer) commit(ctx context.Context, offsets map[string]map[int32]int64) {
	err := c.m.Commit(context.WithoutCancel(ctx), offsets)
	ev := offsetsCommitted{event: c.pr.head("offsets_committed"), Offsets: []commitData{}, Success: err == nil}
	for t, ps := range offsets {
		for p, o := range ps {
			ev.Offsets = append(ev.Offsets, commitData{t, p, o})
		}
	}
	sort.Slice(ev.Offsets, func(i, j int) bool {
		a, b := ev.Offsets[i], ev.Offsets[j]
		return a.Topic < b.Topic || a.Topic == b.Topic && a.Partition < b.Partition
	})
	if err != nil {
		msg := err.Error()
		ev.Error = &msg
	}
	c.pr.print(ev)
}

func text(b []byte) *string {
	if b == nil {
		return nil
	}
	s := string(b)
	return &s
}

func partitionList(parts map[string][]int32) []partition {
	out := []partition{}
	for t, ps := range parts {
		for _, p := range ps {
			out = append(out, partition{t, p})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Topic < out[j].Topic || out[i].Topic == out[j].Topic && out[i].Partition < out[j].Partition
	})
	return out
}
