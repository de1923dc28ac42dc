package kafkaerr

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

// sentinel is one exported error of a package and the code it must answer.
type sentinel struct {
	pkg, name string
	err       error
	want      *kerr.Error
}

// sentinels holds a row for every exported Err... of replica and
// partitionlog; TestEverySentinelHasARow fails when one is missing.
var sentinels = []sentinel{
	{"replica", "ErrUnknownTopicOrPartition", replica.ErrUnknownTopicOrPartition, kerr.UnknownTopicOrPartition},
	{"replica", "ErrNotLeaderOrFollower", replica.ErrNotLeaderOrFollower, kerr.NotLeaderForPartition},
	{"replica", "ErrNotEnoughReplicas", replica.ErrNotEnoughReplicas, kerr.NotEnoughReplicas},
	{"replica", "ErrNotEnoughReplicasAfterAppend", replica.ErrNotEnoughReplicasAfterAppend, kerr.NotEnoughReplicasAfterAppend},
	{"replica", "ErrFencedLeaderEpoch", replica.ErrFencedLeaderEpoch, kerr.FencedLeaderEpoch},
	{"replica", "ErrUnknownLeaderEpoch", replica.ErrUnknownLeaderEpoch, kerr.UnknownLeaderEpoch},
	{"replica", "ErrStaleLeaderEpoch", replica.ErrStaleLeaderEpoch, kerr.StaleControllerEpoch},
	{"replica", "ErrStaleControllerEpoch", replica.ErrStaleControllerEpoch, kerr.StaleControllerEpoch},
	{"replica", "ErrDeleteRecordsRefused", replica.ErrDeleteRecordsRefused, kerr.PolicyViolation},
	{"replica", "ErrIsrConflict", replica.ErrIsrConflict, kerr.UnknownServerError},

	{"partitionlog", "ErrCorruptMessage", partitionlog.ErrCorruptMessage, kerr.CorruptMessage},
	{"partitionlog", "ErrInvalidRecord", partitionlog.ErrInvalidRecord, kerr.InvalidRecord},
	{"partitionlog", "ErrMessageTooLarge", partitionlog.ErrMessageTooLarge, kerr.MessageTooLarge},
	{"partitionlog", "ErrRecordListTooLarge", partitionlog.ErrRecordListTooLarge, kerr.RecordListTooLarge},
	{"partitionlog", "ErrUnsupportedVersion", partitionlog.ErrUnsupportedVersion, kerr.InvalidRecord},
	{"partitionlog", "ErrInvalidTimestamp", partitionlog.ErrInvalidTimestamp, kerr.InvalidTimestamp},
	{"partitionlog", "ErrOffsetOutOfRange", partitionlog.ErrOffsetOutOfRange, kerr.OffsetOutOfRange},
	{"partitionlog", "ErrUnexpectedAppendOffset", partitionlog.ErrUnexpectedAppendOffset, kerr.UnknownServerError},
	{"partitionlog", "ErrLogDirOffline", partitionlog.ErrLogDirOffline, kerr.KafkaStorageError},
	{"partitionlog", "ErrCorruptLog", partitionlog.ErrCorruptLog, kerr.CorruptMessage},
	{"partitionlog", "ErrClosed", partitionlog.ErrClosed, kerr.NotLeaderForPartition},
	{"partitionlog", "ErrInconsistentMeta", partitionlog.ErrInconsistentMeta, kerr.UnknownServerError},
	{"partitionlog", "ErrOutOfOrderSequence", partitionlog.ErrOutOfOrderSequence, kerr.OutOfOrderSequenceNumber},
	{"partitionlog", "ErrInvalidProducerEpoch", partitionlog.ErrInvalidProducerEpoch, kerr.InvalidProducerEpoch},
	{"partitionlog", "ErrInvalidTxnState", partitionlog.ErrInvalidTxnState, kerr.InvalidTxnState},
	{"partitionlog", "ErrTransactionCoordinatorFenced", partitionlog.ErrTransactionCoordinatorFenced, kerr.TransactionCoordinatorFenced},
	{"partitionlog", "ErrInconsistentTopicID", partitionlog.ErrInconsistentTopicID, kerr.InconsistentTopicID},
}

func TestSentinelCodes(t *testing.T) {
	for _, s := range sentinels {
		t.Run(s.pkg+"."+s.name, func(t *testing.T) {
			// Errors reach the table wrapped with context, sometimes twice.
			err := fmt.Errorf("t-0: %w", fmt.Errorf("append: %w", s.err))
			if got := Of(err); got != s.want {
				t.Errorf("Of(%v) = %v, want %v", err, got, s.want)
			}
			if got := Code(err); got != s.want.Code {
				t.Errorf("Code(%v) = %d, want %d", err, got, s.want.Code)
			}
		})
	}
}

// TestEverySentinelHasARow reads the sources of replica and partitionlog
// for their exported Err... variables, so a sentinel added there without
// a decision here fails.
func TestEverySentinelHasARow(t *testing.T) {
	dirs := map[string]string{
		"replica":      "../replica",
		"partitionlog": "../../../store/partitionlog",
	}
	rows := map[string]bool{}
	for _, s := range sentinels {
		rows[s.pkg+"."+s.name] = true
	}
	for pkg, dir := range dirs {
		names := exportedErrVars(t, dir)
		if len(names) == 0 {
			t.Fatalf("no exported Err variables found in %s: has the package moved?", dir)
		}
		for _, name := range names {
			if !rows[pkg+"."+name] {
				t.Errorf("%s.%s has no row in sentinels: decide its Kafka code", pkg, name)
			}
			delete(rows, pkg+"."+name)
		}
	}
	for stale := range rows {
		t.Errorf("sentinels lists %s, which its package no longer declares", stale)
	}
}

// exportedErrVars returns the package-level exported variables named
// Err... declared in dir's non-test Go files.
func exportedErrVars(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parse %s: %v", e.Name(), err)
		}
		for _, d := range f.Decls {
			names = append(names, errVarsOf(d)...)
		}
	}
	return names
}

func errVarsOf(d ast.Decl) []string {
	gd, ok := d.(*ast.GenDecl)
	if !ok || gd.Tok != token.VAR {
		return nil
	}
	var names []string
	for _, spec := range gd.Specs {
		for _, n := range spec.(*ast.ValueSpec).Names {
			if strings.HasPrefix(n.Name, "Err") && n.IsExported() {
				names = append(names, n.Name)
			}
		}
	}
	return names
}

func TestOfWithoutSentinel(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want *kerr.Error
	}{
		{"nil", nil, nil},
		{"a Kafka error", kerr.CoordinatorNotAvailable, kerr.CoordinatorNotAvailable},
		{"a wrapped Kafka error", fmt.Errorf("join: %w", kerr.RebalanceInProgress), kerr.RebalanceInProgress},
		{"an error without code", errors.New("something else"), kerr.UnknownServerError},
		// The first sentinel wins over a Kafka error wrapped beside it.
		{"sentinel and Kafka error", fmt.Errorf("%w: %w", partitionlog.ErrLogDirOffline, kerr.NotCoordinator), kerr.KafkaStorageError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Of(tt.err); got != tt.want {
				t.Errorf("Of = %v, want %v", got, tt.want)
			}
			want := int16(0)
			if tt.want != nil {
				want = tt.want.Code
			}
			if got := Code(tt.err); got != want {
				t.Errorf("Code = %d, want %d", got, want)
			}
		})
	}
}

func TestServerFault(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("something else"), true},
		{fmt.Errorf("t-0: %w: %w", partitionlog.ErrLogDirOffline, errors.New("EIO")), true},
		{fmt.Errorf("batch at 0: %w", partitionlog.ErrCorruptLog), true},
		{kerr.UnknownServerError, true},
		{partitionlog.ErrCorruptMessage, false}, // the client's bytes
		{partitionlog.ErrOffsetOutOfRange, false},
		{replica.ErrNotLeaderOrFollower, false},
		{kerr.RebalanceInProgress, false},
	}
	for _, tt := range tests {
		if got := ServerFault(tt.err); got != tt.want {
			t.Errorf("ServerFault(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
