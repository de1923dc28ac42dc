package snapshot

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
)

// GroupSource is implemented by sources that know consumer groups
// (*admin.Client does); without it a snapshot has no groups and
// GroupsKnown is false.
type GroupSource interface {
	ListGroups(ctx context.Context, states ...string) ([]admin.GroupListing, error)
	DescribeGroup(ctx context.Context, group string) (admin.Group, error)
	GroupOffsets(ctx context.Context, group string) ([]admin.GroupOffset, error)
}

// TrendLen is how many refreshes of a group's total lag are kept for its
// sparkline.
const TrendLen = 10

// trendPoints is how many of the latest totals decide whether the lag is
// growing or shrinking: all rising (or all falling) over three refreshes,
// so a consumer whose lag saws up and down with each poll is not flagged.
const trendPoints = 3

// Group is a consumer group with its per-partition lag.
type Group struct {
	Name         string
	State        string // Kafka's: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead
	ProtocolType string
	Protocol     string // the assignor: range, roundrobin, cooperative-sticky; "" when Empty
	Coordinator  int32
	Members      []Member
	Partitions   []GroupPartition // sorted by topic and partition
	Topics       []string         // the topics of Partitions, sorted
	// Lag is the sum of the partitions' known lags, Unknown when none is.
	Lag int64
	// LagPartial: Lag leaves out partitions with a commit whose log end
	// could not be read (no leader, a failed request), so the group's lag
	// is at least Lag.
	LagPartial bool
	// LagHistory is Lag at the last TrendLen refreshes that described the
	// group, oldest first.
	LagHistory []int64
	// ConsumeRates are messages per second committed per topic since the
	// group's previous description; a topic is absent when that is not
	// known (first sight, offsets reset backwards).
	ConsumeRates map[string]float64
	// DescribedAt is when the group's description and offsets were read:
	// older than Snapshot.At when a large cluster's refresh left it for a
	// later one (see Options.GroupBudget).
	DescribedAt time.Time
	Err         error // the last description failed; the values are older
}

// Member is one member of a group.
type Member struct {
	ID, InstanceID, ClientID, Host string
	Partitions                     int // partitions assigned
}

// GroupPartition is one row of the lag table: a partition the group is
// assigned or has committed offsets for.
type GroupPartition struct {
	Topic     string
	Partition int32
	Committed int64 // Unknown when nothing is committed
	LogEnd    int64 // Unknown when not reported
	Lag       int64 // LogEnd - Committed, Unknown when either is
	// The member consuming it; "" when none.
	MemberID, Host, ClientID string
}

// Trend tells where the lag is heading: 1 growing, -1 shrinking, 0
// neither (or too few refreshes to tell).
func (g Group) Trend() int {
	h := g.LagHistory
	if len(h) < trendPoints {
		return 0
	}
	h = h[len(h)-trendPoints:]
	up, down := true, true
	for i := 1; i < len(h); i++ {
		up = up && h[i] >= h[i-1]
		down = down && h[i] <= h[i-1]
	}
	switch last, first := h[len(h)-1], h[0]; {
	case up && last > first:
		return 1
	case down && last < first:
		return -1
	}
	return 0
}

// Lagging reports whether the group is behind and falling further.
func (g Group) Lagging() bool { return g.Lag > 0 && g.Trend() > 0 }

// Stale reports whether the group was described before the snapshot.
func (g Group) Stale(s *Snapshot) bool { return g.DescribedAt.Before(s.At) }

// Group returns the named group.
func (s *Snapshot) Group(name string) (Group, bool) {
	i, ok := slices.BinarySearchFunc(s.Groups, name, func(g Group, n string) int { return strings.Compare(g.Name, n) })
	if !ok {
		return Group{}, false
	}
	return s.Groups[i], true
}

// LaggingGroups counts the groups whose lag is growing.
func (s *Snapshot) LaggingGroups() int {
	n := 0
	for _, g := range s.Groups {
		if g.Lagging() {
			n++
		}
	}
	return n
}
