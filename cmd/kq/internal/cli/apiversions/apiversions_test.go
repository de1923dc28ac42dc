package apiversions

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

type fakeAdmin []admin.BrokerVersions

func (f fakeAdmin) BrokerAPIVersions(context.Context) ([]admin.BrokerVersions, error) { return f, nil }

func TestBrokerAPIVersionsPrintsKafkasBlocks(t *testing.T) {
	produceMax, _ := admin.ClientMaxVersion(0)
	fa := fakeAdmin{
		{Broker: admin.Broker{ID: 1, Host: "h1", Port: 9092, Rack: "r1"}, APIs: []admin.APIVersions{
			{Key: 0, Min: 3, Max: 99}, {Key: 18, Min: 0, Max: 0}, {Key: 1, Min: 500, Max: 600}, {Key: 999, Min: 0, Max: 2}}},
		{Broker: admin.Broker{ID: 2, Host: "h2", Port: 9093}, Err: errors.New("dial refused")},
	}
	ios, _, out, _ := iostreams.Test()
	if err := run(context.Background(), &Options{IO: ios, Output: output.Table, Admin: func() (versionsAdmin, error) { return fa, nil }}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"h1:9092 (id: 1 rack: r1) -> (\n\tProduce(0): 3 to 99 [usable: " + strconv.Itoa(int(produceMax)) + "],\n\tFetch(1): 500 to 600 [unusable: node too new],\n",
		"\tApiVersions(18): 0 [usable: 0],\n",
		"\tSaslHandshake(17): UNSUPPORTED,\n",
		"\tUNKNOWN(999): 0 to 2\n)\n",
		"h2:9093 (id: 2 rack: null) -> ERROR: dial refused\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}
