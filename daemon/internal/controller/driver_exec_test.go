package controller

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kqhq/kq/store/meta"
)

func TestOutcome(t *testing.T) {
	epochCheck := &meta.MultiError{Index: 0, Op: meta.CheckOp{Path: "/controller_epoch", Version: 3}, Err: meta.ErrBadVersion}
	stateWrite := &meta.MultiError{Index: 1, Op: meta.SetOp{Path: "/brokers/topics/t/partitions/0/state", Version: 3}, Err: meta.ErrBadVersion}
	tests := []struct {
		name string
		err  error
		want Outcome
		fail bool // returned for the driver to retry
	}{
		{"applied", nil, OutcomeOK, false},
		{"epoch check failed", fmt.Errorf("update state: %w", epochCheck), OutcomeFenced, false},
		{"state moved", fmt.Errorf("update state: %w", stateWrite), OutcomeConflict, false},
		{"state exists", ErrStateExists, OutcomeExists, false},
		{"znode gone", fmt.Errorf("read: %w", meta.ErrNoNode), OutcomeGone, false},
		{"connection lost", errors.New("connection lost"), OutcomeOK, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := outcome(7, PartitionState{}, tt.err)
			if (err != nil) != tt.fail || r.ID != 7 || (!tt.fail && r.Outcome != tt.want) {
				t.Fatalf("outcome(%v) = %+v, %v", tt.err, r, err)
			}
		})
	}
}
