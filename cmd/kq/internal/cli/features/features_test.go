package features

import (
	"context"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

type fakeAdmin []admin.BrokerVersions

func (f fakeAdmin) BrokerAPIVersions(context.Context) ([]admin.BrokerVersions, error) { return f, nil }

func TestFeaturesDescribe(t *testing.T) {
	tests := []struct {
		name string
		b    admin.BrokerVersions
		want string
	}{
		{"none reported", admin.BrokerVersions{FinalizedEpoch: -1}, ""},
		{"finalized", admin.BrokerVersions{FinalizedEpoch: 3, Features: []admin.Feature{
			{Name: "metadata.version", MinVersion: 1, MaxVersion: 21, Finalized: 0},
			{Name: "transaction.version", MinVersion: 0, MaxVersion: 2, Finalized: 2}}},
			"Feature: metadata.version\tSupportedMinVersion: 3.0-IV1\tSupportedMaxVersion: 3.9-IV0\tFinalizedVersionLevel: UNKNOWN 0\tEpoch: 3\n" +
				"Feature: transaction.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 2\tFinalizedVersionLevel: 2\tEpoch: 3\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			fa := fakeAdmin{tt.b}
			if err := run(context.Background(), &Options{IO: ios, Output: output.Table, Admin: func() (featuresAdmin, error) { return fa, nil }}); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("got %q, want %q", out.String(), tt.want)
			}
		})
	}
}
