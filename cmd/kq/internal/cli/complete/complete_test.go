package complete

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/spf13/cobra"
)

func TestTopics(t *testing.T) {
	c := admintest.NewCluster()
	for _, name := range []string{"orders", "order-events", "users"} {
		_, _ = c.CreateTopic(context.Background(), admin.TopicSpec{Name: name, Partitions: 1, ReplicationFactor: 1})
	}
	env := clitest.New(c)
	cmd := &cobra.Command{}
	cmd.SetContext(context.Background())
	tests := []struct {
		args       []string
		toComplete string
		want       []string
	}{
		{nil, "", []string{"order-events", "orders", "users"}},
		{nil, "ord", []string{"order-events", "orders"}},
		{[]string{"orders"}, "ord", []string{"order-events"}},
	}
	for _, tt := range tests {
		got, dir := Topics(env.Factory)(cmd, tt.args, tt.toComplete)
		if !reflect.DeepEqual(got, tt.want) || dir != cobra.ShellCompDirectiveNoFileComp {
			t.Errorf("%v %q: got %v %v", tt.args, tt.toComplete, got, dir)
		}
	}
	if got, _ := FirstArgTopic(env.Factory)(cmd, []string{"orders"}, ""); got != nil {
		t.Errorf("second argument completed: %v", got)
	}
}

func TestTopicsOffersNothingOnFailure(t *testing.T) {
	c := admintest.NewCluster()
	c.Fail("Topics", errors.New("unreachable"))
	env := clitest.New(c)
	cmd := &cobra.Command{}
	got, dir := Topics(env.Factory)(cmd, nil, "")
	if got != nil || dir != cobra.ShellCompDirectiveNoFileComp || env.Out.Len() != 0 {
		t.Fatalf("got %v %v, stdout %q", got, dir, env.Out.String())
	}
}
