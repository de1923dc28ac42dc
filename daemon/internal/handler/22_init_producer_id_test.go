package handler_test

import (
	"errors"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func TestInitProducerID(t *testing.T) {
	tests := []struct {
		name          string
		transactional bool
		allocErr      error
		code          int16
		id            int64
		epoch         int16
	}{
		{name: "idempotent producer", id: 1000, epoch: 0},
		{name: "transactional id of a partition not led here", transactional: true, code: kerr.NotCoordinator.Code, id: -1, epoch: -1},
		{name: "allocation fails", allocErr: errors.New("store down"), code: kerr.CoordinatorNotAvailable.Code, id: -1, epoch: -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.pids.err = tc.allocErr
			req := kmsg.NewPtrInitProducerIDRequest()
			req.Version, req.TransactionTimeoutMillis = 4, 60_000
			req.ProducerID, req.ProducerEpoch = -1, -1
			if tc.transactional {
				req.TransactionalID = kmsg.StringPtr("tx")
			}
			resp := f.call(req).(*kmsg.InitProducerIDResponse)
			if resp.ErrorCode != tc.code || resp.ProducerID != tc.id || resp.ProducerEpoch != tc.epoch {
				t.Fatalf("code %d id %d epoch %d, want %d %d %d", resp.ErrorCode, resp.ProducerID, resp.ProducerEpoch, tc.code, tc.id, tc.epoch)
			}
		})
	}
}

// TestInitProducerIDFresh: every call, even with the producer's old id and
// epoch, hands out a new id, as Kafka does without a transactional id.
func TestInitProducerIDFresh(t *testing.T) {
	f := newFixture(t)
	seen := map[int64]bool{}
	for v := int16(0); v <= 5; v++ {
		req := kmsg.NewPtrInitProducerIDRequest()
		req.Version, req.ProducerID, req.ProducerEpoch = v, 1000, 0
		resp := f.call(req).(*kmsg.InitProducerIDResponse)
		if resp.ErrorCode != 0 || seen[resp.ProducerID] {
			t.Fatalf("v%d: code %d id %d (seen before: %v)", v, resp.ErrorCode, resp.ProducerID, seen[resp.ProducerID])
		}
		seen[resp.ProducerID] = true
	}
}

// TestInitProducerIDHalfExpected: a producer id without an epoch (or the
// reverse) is INVALID_REQUEST, with or without a transactional id.
func TestInitProducerIDHalfExpected(t *testing.T) {
	f := newFixture(t)
	for _, tx := range []*string{nil, kmsg.StringPtr("tx")} {
		req := kmsg.NewPtrInitProducerIDRequest()
		req.Version, req.TransactionalID, req.TransactionTimeoutMillis = 4, tx, 1000
		req.ProducerID, req.ProducerEpoch = 1000, -1
		if resp := f.call(req).(*kmsg.InitProducerIDResponse); resp.ErrorCode != kerr.InvalidRequest.Code {
			t.Fatalf("transactional id %v: code %d", tx, resp.ErrorCode)
		}
	}
}
