package daemon

import (
	"context"
	"errors"
	"fmt"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/fetcher"
	"github.com/kqhq/kq/daemon/internal/quota"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
	"github.com/kqhq/kq/store/partitionlog"
)

// newFetchers returns the follower fetchers, configured from the
// replica.fetch.* settings, finding leaders on the inter-broker listener
// through the metadata cache.
func (d *Daemon) newFetchers(throttle *quota.Replication) *fetcher.Manager {
	return fetcher.New(fetcher.Config{
		BrokerID:         d.cfg.BrokerID,
		Address:          d.interBrokerAddress,
		Dial:             d.fetcherDialer(),
		MaxBytes:         int32(d.cfg.ReplicaFetchMaxBytes),
		ResponseMaxBytes: int32(d.cfg.ReplicaFetchResponseMaxBytes),
		MinBytes:         int32(d.cfg.ReplicaFetchMinBytes),
		MaxWait:          millis(d.cfg.ReplicaFetchWaitMaxMs),
		Backoff:          millis(d.cfg.ReplicaFetchBackoffMs),
		RequestTimeout:   millis(d.cfg.ReplicaSocketTimeoutMs),
		PerSource:        int(d.cfg.NumReplicaFetchers),
		Throttle:         throttle,
		Logger:           d.log,
	})
}

// fetcherDialer connects followers to leaders: directly (TLS included) on
// a PLAINTEXT or SSL inter-broker listener, through kgo where the listener
// needs SASL, which only kgo's client speaks here.
func (d *Daemon) fetcherDialer() fetcher.Dialer {
	rcvbuf := int(d.cfg.ReplicaSocketReceiveBufferBytes)
	switch d.cfg.InterBrokerSecurityProtocol {
	case config.SASLPlaintext, config.SASLSSL:
		return fetcher.KgoDialer(d.cfg.BrokerID, rcvbuf, d.interBrokerTLS, d.interBrokerSASL...)
	default:
		return fetcher.DirectDialer(d.cfg.BrokerID, rcvbuf, d.interBrokerTLS)
	}
}

func (d *Daemon) interBrokerAddress(id int32) (string, bool) {
	b, ok := d.cache.Load().Brokers[id]
	if !ok {
		return "", false
	}
	ep, ok := b.Endpoint(d.cfg.InterBrokerListenerName)
	if !ok {
		return "", false
	}
	return joinHostPort(ep), true
}

// replicaOptions wire the replica manager to the fetchers and to the
// metadata store for ISR changes.
func (d *Daemon) replicaOptions() []replica.Option {
	return []replica.Option{
		replica.WithFetchers(d.fetchers),
		replica.WithIsrStore(isrStore{d.session}),
		replica.WithLagTimeMax(millis(d.cfg.ReplicaLagTimeMaxMs)),
		replica.WithIsrEligible(func(id int32) bool {
			_, alive := d.cache.Load().Brokers[id]
			return alive
		}),
	}
}

// runReplication runs the replica manager's ISR work until the daemon
// shuts down.
func (d *Daemon) runReplication() {
	ctx, cancel := context.WithCancel(context.Background())
	d.stopReplication = cancel
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		d.replica.Run(ctx)
	}()
}

// isrStore records the ISR changes of partitions this broker leads, on the
// current metadata session.
type isrStore struct{ s *currentSession }

func (i isrStore) UpdateIsr(ctx context.Context, topic string, p int32, st replica.State) (int32, error) {
	v, err := i.s.client().UpdateLeaderIsr(ctx, topic, p, controller.PartitionState{
		Leader: st.Leader, LeaderEpoch: st.LeaderEpoch, ISR: st.ISR, ControllerEpoch: st.ControllerEpoch, Version: st.ZkVersion,
	})
	if errors.Is(err, meta.ErrBadVersion) {
		return 0, fmt.Errorf("%w: %w", replica.ErrIsrConflict, err)
	}
	return v, err
}

func (i isrStore) NotifyIsrChanged(ctx context.Context, parts []partitionlog.TopicPartition) error {
	tps := make([]znode.TopicPartition, len(parts))
	for j, p := range parts {
		tps[j] = znode.TopicPartition{Topic: p.Topic, Partition: p.Partition}
	}
	return i.s.client().NotifyIsrChange(ctx, tps)
}
