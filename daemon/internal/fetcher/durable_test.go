package fetcher_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/fetcher"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

type groupCommitConfigs struct{}

func (groupCommitConfigs) LogConfig(string) partitionlog.Config {
	return partitionlog.Config{FlushMode: partitionlog.FlushGroupCommit}
}

// groupCommitBroker is newBroker with its logs in flush.mode=group-commit.
func groupCommitBroker(t *testing.T, id int32, opts ...replica.Option) *broker {
	t.Helper()
	return newBrokerWith(t, id, groupCommitConfigs{}, opts...)
}

// durabilityCheck is the leader's side of the connection, noting every
// follower fetch whose offset (what the follower claims to hold) lies
// past what the follower's log has fsynced.
type durabilityCheck struct {
	*leaderServer

	mu         sync.Mutex
	follower   *partitionlog.Log // set once the follower's log exists
	violations []string
}

func (c *durabilityCheck) Dial(string) (fetcher.Client, error) { return c, nil }

func (c *durabilityCheck) Request(ctx context.Context, req kmsg.Request) (kmsg.Response, error) {
	c.mu.Lock()
	follower := c.follower
	c.mu.Unlock()
	if f, ok := req.(*kmsg.FetchRequest); ok && follower != nil {
		durable := follower.DurableEnd()
		for _, t := range f.Topics {
			for _, p := range t.Partitions {
				if p.FetchOffset > durable {
					c.mu.Lock()
					c.violations = append(c.violations, fmt.Sprintf("fetch offset %d, fsynced to %d", p.FetchOffset, durable))
					c.mu.Unlock()
				}
			}
		}
	}
	return c.leaderServer.Request(ctx, req)
}

// Under group-commit a follower fetches on (reporting a new offset, which
// the leader's high watermark counts) only once it has fsynced what it
// appended, so the high watermark means "on disk on every ISR member".
func TestGroupCommitFollowerReportsOnlyWhatItFsynced(t *testing.T) {
	leader := groupCommitBroker(t, leaderID)
	check := &durabilityCheck{leaderServer: &leaderServer{b: leader}}
	fm := fetcher.New(fetcher.Config{
		BrokerID: followerID,
		Address:  func(id int32) (string, bool) { return fmt.Sprint("broker-", id), id == leaderID },
		Dial:     check.Dial,
		MaxBytes: 1 << 20, ResponseMaxBytes: 10 << 20, MinBytes: 1,
		MaxWait: 50 * time.Millisecond, Backoff: 10 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler),
	})
	t.Cleanup(fm.Close)
	follower := groupCommitBroker(t, followerID, replica.WithFetchers(fm))
	state := replica.State{Leader: leaderID, LeaderEpoch: 0, Replicas: twoReplicas, ISR: twoReplicas}
	lp := leader.apply(t, state)
	follower.apply(t, state)
	log, _ := follower.logs.Get(partitionlog.TopicPartition{Topic: "t"})
	check.mu.Lock()
	check.follower = log
	check.mu.Unlock()
	for range 30 {
		appendN(t, lp, 1, 5, "v")
	}
	eventually(t, "the leader's high watermark at its log end", func() error {
		if _, hw, leo := lp.Offsets(); hw != leo {
			return fmt.Errorf("high watermark %d, log end %d", hw, leo)
		}
		return nil
	})
	check.mu.Lock()
	defer check.mu.Unlock()
	if len(check.violations) > 0 {
		t.Fatalf("%d fetches claimed more than was fsynced, first: %s", len(check.violations), check.violations[0])
	}
}
