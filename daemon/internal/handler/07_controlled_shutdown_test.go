package handler_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/handler"
)

// fakeController answers the controller operations with what a test set
// and records how it was asked.
type fakeController struct {
	mu        sync.Mutex
	remaining []controller.TopicPartition
	results   map[controller.TopicPartition]controller.ElectionResult
	err       error

	gotBroker int32
	gotEpoch  int64
	gotType   controller.ElectionType
	gotParts  []controller.TopicPartition
	calls     int
}

func (c *fakeController) ControlledShutdown(_ context.Context, brokerID int32, brokerEpoch int64) ([]controller.TopicPartition, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gotBroker, c.gotEpoch, c.calls = brokerID, brokerEpoch, c.calls+1
	return c.remaining, c.err
}

func (c *fakeController) ElectLeaders(_ context.Context, typ controller.ElectionType, parts []controller.TopicPartition) (map[controller.TopicPartition]controller.ElectionResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gotType, c.gotParts, c.calls = typ, parts, c.calls+1
	return c.results, c.err
}

func (c *fakeController) AlterPartitionReassignments(context.Context, map[controller.TopicPartition][]int32) (map[controller.TopicPartition]error, error) {
	return nil, controller.ErrNotController
}

func (c *fakeController) ListPartitionReassignments(context.Context, []controller.TopicPartition) (map[controller.TopicPartition]controller.Reassignment, error) {
	return nil, controller.ErrNotController
}

// withController rebuilds the fixture's handler over the same parts, with
// ctl as its controller (nil: a broker without one).
func withController(f *fixture, ctl handler.Controller) {
	f.h = handler.New(handler.Deps{
		BrokerID: self, Settings: f.currentSettings, Cache: f.cache, Replicas: f.replicas,
		Admin: f.admin, Configs: f.configs, ProducerIDs: f.pids, Logger: slog.New(slog.DiscardHandler), Groups: f.groups,
		Controller: ctl,
	})
}

func TestControlledShutdown(t *testing.T) {
	t0, t1 := controller.TopicPartition{Topic: "t", Partition: 0}, controller.TopicPartition{Topic: "u", Partition: 1}
	tests := []struct {
		name      string
		ctl       *fakeController
		noCtl     bool
		wantCode  int16
		wantParts []string
	}{
		{name: "all moved", ctl: &fakeController{}},
		{name: "some still led", ctl: &fakeController{remaining: []controller.TopicPartition{t0, t1}}, wantParts: []string{"t-0", "u-1"}},
		{name: "not the controller", ctl: &fakeController{err: controller.ErrNotController}, wantCode: kerr.NotController.Code},
		{name: "no controller at all", noCtl: true, wantCode: kerr.NotController.Code},
		{name: "stale broker epoch", ctl: &fakeController{err: &controller.RequestError{Err: fmt.Errorf("%w: old", kerr.StaleBrokerEpoch)}},
			wantCode: kerr.StaleBrokerEpoch.Code},
		{name: "unknown broker", ctl: &fakeController{err: &controller.RequestError{Err: kerr.BrokerNotAvailable}},
			wantCode: kerr.BrokerNotAvailable.Code},
		{name: "metadata write failed", ctl: &fakeController{err: errors.New("connection loss")}, wantCode: kerr.UnknownServerError.Code},
		{name: "request timed out", ctl: &fakeController{err: context.DeadlineExceeded}, wantCode: kerr.RequestTimedOut.Code},
	}
	for _, tt := range tests {
		for v := int16(0); v <= 3; v++ {
			t.Run(fmt.Sprintf("%s/v%d", tt.name, v), func(t *testing.T) {
				f := newFixture(t)
				if tt.noCtl {
					withController(f, nil)
				} else {
					withController(f, tt.ctl)
				}
				req := kmsg.NewPtrControlledShutdownRequest()
				req.Version, req.BrokerID, req.BrokerEpoch = v, 2, 4242
				resp := f.call(req).(*kmsg.ControlledShutdownResponse)
				if resp.ErrorCode != tt.wantCode {
					t.Fatalf("error %d, want %d", resp.ErrorCode, tt.wantCode)
				}
				var got []string
				for _, p := range resp.PartitionsRemaining {
					got = append(got, fmt.Sprintf("%s-%d", p.Topic, p.Partition))
				}
				if !slices.Equal(got, tt.wantParts) {
					t.Fatalf("remaining %v, want %v", got, tt.wantParts)
				}
				if tt.noCtl {
					return
				}
				wantEpoch := int64(4242)
				if v < 2 {
					wantEpoch = -1 // the field exists from v2
				}
				if tt.ctl.gotBroker != 2 || tt.ctl.gotEpoch != wantEpoch {
					t.Fatalf("controller asked for broker %d epoch %d, want 2 %d", tt.ctl.gotBroker, tt.ctl.gotEpoch, wantEpoch)
				}
			})
		}
	}
}
