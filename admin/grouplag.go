package admin

import (
	"context"
	"errors"
	"sort"
)

// PartitionLag is one row of kafka-consumer-groups --describe: a partition
// the group is assigned or has committed, how far it is behind, and the
// member consuming it ("" when none).
type PartitionLag struct {
	Group     string `json:"group"`
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	// Committed is the group's committed offset; -1 when it has none.
	Committed int64 `json:"current_offset"`
	// LogEnd is the partition's end offset (its high watermark).
	LogEnd int64 `json:"log_end_offset"`
	// Lag is LogEnd - Committed; -1 when nothing is committed.
	Lag        int64  `json:"lag"`
	MemberID   string `json:"consumer_id"`
	Host       string `json:"host"`
	ClientID   string `json:"client_id"`
	InstanceID string `json:"instance_id,omitempty"`
}

// GroupLag describes a group and, per partition it is assigned or has
// committed offsets for, its lag. Rows are sorted by topic and partition.
// A group the coordinator does not know may still have offsets committed
// with OffsetCommit v0, kept in ZooKeeper: it is described from those.
func (c *Client) GroupLag(ctx context.Context, group string) (Group, []PartitionLag, error) {
	g, committed, err := c.groupAndOffsets(ctx, group)
	if err != nil {
		return g, nil, err
	}
	rows := lagRows(g, committed)
	if err := c.fillLogEnds(ctx, rows); err != nil {
		return g, nil, err
	}
	return g, rows, nil
}

func (c *Client) groupAndOffsets(ctx context.Context, group string) (Group, []GroupOffset, error) {
	g, err := c.DescribeGroup(ctx, group)
	if errors.Is(err, ErrNotFound) {
		legacy, lerr := c.zooKeeperGroupOffsets(ctx, group)
		if lerr != nil || len(legacy) == 0 {
			return Group{}, nil, err // the coordinator's answer: not found
		}
		return Group{Group: group, State: "Empty", OffsetStorage: OffsetStorageZooKeeper}, legacy, nil
	}
	if err != nil {
		return Group{}, nil, err
	}
	committed, err := c.GroupOffsets(ctx, group)
	return g, committed, err
}

// lagRows joins assignments and committed offsets, log ends not yet known.
func lagRows(g Group, committed []GroupOffset) []PartitionLag {
	type tp struct {
		topic string
		p     int32
	}
	byTP := map[tp]*PartitionLag{}
	row := func(topic string, p int32) *PartitionLag {
		k := tp{topic, p}
		if r, ok := byTP[k]; ok {
			return r
		}
		r := &PartitionLag{Group: g.Group, Topic: topic, Partition: p, Committed: -1, LogEnd: -1, Lag: -1}
		byTP[k] = r
		return r
	}
	for _, m := range g.Members {
		for topic, ps := range m.Assignment {
			for _, p := range ps {
				r := row(topic, p)
				r.MemberID, r.Host, r.ClientID, r.InstanceID = m.MemberID, m.Host, m.ClientID, m.InstanceID
			}
		}
	}
	for _, o := range committed {
		row(o.Topic, o.Partition).Committed = o.Offset
	}
	out := make([]PartitionLag, 0, len(byTP))
	for _, r := range byTP {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
	return out
}

// fillLogEnds sets each row's log end offset and lag.
func (c *Client) fillLogEnds(ctx context.Context, rows []PartitionLag) error {
	topics := map[string]bool{}
	for _, r := range rows {
		topics[r.Topic] = true
	}
	if len(topics) == 0 {
		return nil
	}
	names := make([]string, 0, len(topics))
	for t := range topics {
		names = append(names, t)
	}
	ends, err := c.ListOffsets(ctx, LatestOffset, names...)
	if err != nil {
		return err
	}
	endOf := map[string]map[int32]int64{}
	for _, e := range ends {
		if e.Err != nil {
			continue
		}
		if endOf[e.Topic] == nil {
			endOf[e.Topic] = map[int32]int64{}
		}
		endOf[e.Topic][e.Partition] = e.Offset
	}
	for i := range rows {
		r := &rows[i]
		end, ok := endOf[r.Topic][r.Partition]
		if !ok {
			continue
		}
		r.LogEnd = end
		if r.Committed >= 0 {
			r.Lag = max(end-r.Committed, 0)
		}
	}
	return nil
}

// TotalLag sums the known lags of rows.
func TotalLag(rows []PartitionLag) int64 {
	var n int64
	for _, r := range rows {
		if r.Lag > 0 {
			n += r.Lag
		}
	}
	return n
}
