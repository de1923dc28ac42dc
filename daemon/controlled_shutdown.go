package daemon

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/metrics"
)

// errNoController: /controller is empty (an election is under way).
var errNoController = errors.New("no active controller")

// controlledShutdown asks the controller to move this broker's leaderships
// to other in-sync replicas before the broker stops serving (Kafka's
// KafkaServer.controlledShutdown), so a rolling restart costs clients one
// NOT_LEADER_OR_FOLLOWER and a metadata refresh instead of a session
// timeout. The broker keeps serving meanwhile. An attempt that fails, or
// leaves partitions this broker still leads, is retried
// controlled.shutdown.max.retries times in all, controlled.shutdown.retry.
// backoff.ms apart. The whole phase is bounded by half the shutdown
// budget, so a lost controller cannot hold shutdown up; and it ends early
// when no remaining partition has another live replica to move to (the
// last broker of a cluster), where Kafka would wait out every retry.
func (d *Daemon) controlledShutdown() {
	d.obs.state.Store(metrics.BrokerPendingControlledShutdown)
	if !d.cfg.ControlledShutdownEnable || d.cfg.ControlledShutdownMaxRetries <= 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), d.opts.ShutdownTimeout/2)
	defer cancel()
	start := time.Now()
	for attempt := 1; ; attempt++ {
		remaining, err := d.askControlledShutdown(ctx)
		if err == nil && len(remaining) == 0 {
			d.log.Info("controlled shutdown: leadership moved", "attempts", attempt, "took", time.Since(start))
			return
		}
		d.log.Warn("controlled shutdown attempt did not complete", "attempt", attempt, "err", err, "still_leading", remaining)
		if attempt >= int(d.cfg.ControlledShutdownMaxRetries) || !d.waitToRetry(ctx, remaining) {
			d.log.Warn("controlled shutdown gave up; stopping with the leaderships left", "attempts", attempt, "took", time.Since(start))
			return
		}
	}
}

// askControlledShutdown sends ControlledShutdown to the active controller
// (this broker included) over the inter-broker listener and returns the
// partitions the controller says this broker still leads.
func (d *Daemon) askControlledShutdown(ctx context.Context) ([]controller.TopicPartition, error) {
	zk := d.session.client()
	id, _, err := zk.Controller(ctx)
	if err != nil {
		return nil, err
	}
	if id < 0 {
		return nil, errNoController
	}
	epoch, err := zk.BrokerEpoch(ctx, d.cfg.BrokerID)
	if err != nil {
		return nil, err
	}
	b, err := zk.Broker(ctx, id)
	if err != nil {
		return nil, err
	}
	ep, ok := b.Endpoint(d.cfg.InterBrokerListenerName)
	if !ok {
		return nil, fmt.Errorf("controller %d has no %s endpoint", id, d.cfg.InterBrokerListenerName)
	}
	ctx, cancel := context.WithTimeout(ctx, millis(d.cfg.ControllerSocketTimeoutMs))
	defer cancel()
	return d.sendControlledShutdown(ctx, id, ep, epoch)
}

func (d *Daemon) sendControlledShutdown(ctx context.Context, controllerID int32, ep metadatacache.Endpoint, epoch int64) ([]controller.TopicPartition, error) {
	opts := append([]kgo.Opt{kgo.SeedBrokers(joinHostPort(ep)), kgo.ClientID(fmt.Sprintf("kq-broker-%d", d.cfg.BrokerID))}, d.interBrokerOpts()...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to controller %d: %w", controllerID, err)
	}
	defer cl.Close()
	req := kmsg.NewPtrControlledShutdownRequest()
	req.BrokerID, req.BrokerEpoch = d.cfg.BrokerID, epoch
	resp, err := req.RequestWith(ctx, cl.SeedBrokers()[0])
	if err != nil {
		return nil, fmt.Errorf("ControlledShutdown to controller %d: %w", controllerID, err)
	}
	if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
		return nil, fmt.Errorf("controller %d: %w", controllerID, err)
	}
	out := make([]controller.TopicPartition, 0, len(resp.PartitionsRemaining))
	for _, p := range resp.PartitionsRemaining {
		out = append(out, controller.TopicPartition{Topic: p.Topic, Partition: p.Partition})
	}
	return out, nil
}

// waitToRetry waits out the retry backoff. It reports false, at once, when
// the phase's time is up or, as this broker's metadata changes, when no
// remaining partition has another live replica: nothing a retry could do.
func (d *Daemon) waitToRetry(ctx context.Context, remaining []controller.TopicPartition) bool {
	timer := time.NewTimer(millis(d.cfg.ControlledShutdownRetryBackoffMs))
	defer timer.Stop()
	for {
		changed := d.cache.Changed()
		if len(remaining) > 0 && nowhereToMove(d.cache.Load(), d.cfg.BrokerID, remaining) {
			d.log.Info("controlled shutdown: no other live replica for the partitions left", "partitions", remaining)
			return false
		}
		select {
		case <-timer.C:
			return true
		case <-changed:
		case <-ctx.Done():
			return false
		}
	}
}

// nowhereToMove reports whether none of the partitions has a live replica
// other than self.
func nowhereToMove(s *metadatacache.Snapshot, self int32, parts []controller.TopicPartition) bool {
	for _, tp := range parts {
		p, ok := s.Partition(tp.Topic, tp.Partition)
		if !ok {
			continue
		}
		if slices.ContainsFunc(p.Replicas, func(r int32) bool { _, live := s.Brokers[r]; return r != self && live }) {
			return false
		}
	}
	return true
}
