package getoffsets

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{"latest", -1, false}, {"-1", -1, false}, {"earliest", -2, false}, {"-2", -2, false},
		{"max-timestamp", -3, false}, {"-3", -3, false}, {"earliest-local", -2, false}, {"-4", -2, false},
		{"latest-tiered", -5, false}, {"1700000000000", 1700000000000, false},
		{"yesterday", 0, true}, {"-6", 0, true},
	}
	for _, tt := range tests {
		got, err := parseTime(tt.in)
		if (err != nil) != tt.bad || !tt.bad && got != tt.want {
			t.Errorf("%q: got %d, %v", tt.in, got, err)
		}
	}
}

func TestFilters(t *testing.T) {
	type tp struct {
		topic string
		p     int32
	}
	all := []tp{{"orders", 0}, {"orders", 1}, {"orders", 4}, {"payments", 0}, {"payments", 7}, {"other", 2}}
	tests := []struct {
		name         string
		topic, parts string
		rules        string
		want         string
	}{
		{"every", "", "", "", "orders-0 orders-1 orders-4 payments-0 payments-7 other-2"},
		{"regex", "ord.*", "", "", "orders-0 orders-1 orders-4"},
		{"whole name", "order", "", "", ""},
		{"comma list", "orders,other", "1,2", "", "orders-1 other-2"},
		{"rules", "", "", "orders:1,payments:5-,:0", "orders-0 orders-1 payments-0 payments-7"},
		{"ranges", "", "", "orders:-2,other:2-3", "orders-0 orders-1 other-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f filter
			var err error
			if tt.rules != "" {
				f, err = topicPartitionRules(tt.rules)
			} else {
				f, err = topicAndPartitions(tt.topic, tt.parts)
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range all {
				if f.topic(x.topic) && f.partition(x.topic, x.p) {
					got = append(got, x.topic+"-"+string(rune('0'+x.p)))
				}
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("got %q, want %q", strings.Join(got, " "), tt.want)
			}
		})
	}
	if _, err := topicAndPartitions("", "1,x"); err == nil {
		t.Error("--partitions 1,x accepted")
	}
}

type fakeAdmin struct {
	topics  []admin.Topic
	offsets []admin.PartitionOffset
	asked   map[string][]int32
}

func (f *fakeAdmin) Topics(context.Context, ...string) ([]admin.Topic, error) { return f.topics, nil }
func (f *fakeAdmin) OffsetsAt(_ context.Context, _ int64, parts map[string][]int32) ([]admin.PartitionOffset, error) {
	f.asked = parts
	return f.offsets, nil
}

func TestRunPrintsKafkasLines(t *testing.T) {
	parts := func(n int) []admin.Partition {
		var ps []admin.Partition
		for i := range n {
			ps = append(ps, admin.Partition{ID: int32(i)})
		}
		return ps
	}
	fa := &fakeAdmin{
		topics: []admin.Topic{{Name: "t", Partitions: parts(11)}, {Name: "__consumer_offsets", Internal: true, Partitions: parts(1)}},
		offsets: []admin.PartitionOffset{{Topic: "t", Partition: 2, Offset: 5}, {Topic: "t", Partition: 10, Offset: 7},
			{Topic: "t", Partition: 3, Offset: -1}, {Topic: "t", Partition: 4, Err: errors.New("NOT_LEADER_OR_FOLLOWER")}},
	}
	ios, _, out, errOut := iostreams.Test()
	f, _ := topicAndPartitions("", "")
	opts := &Options{IO: ios, Output: output.Table, Filter: f, Time: -1, ExcludeInternal: true,
		Admin: func() (offsetsAdmin, error) { return fa, nil }}
	if err := run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if want := "t:10:7\nt:2:5\n"; out.String() != want {
		t.Errorf("stdout %q, want %q (sorted as t-10 < t-2, unknown offsets left out)", out.String(), want)
	}
	if want := "Skip getting offsets for topic-partition t-4 due to error: NOT_LEADER_OR_FOLLOWER\n"; errOut.String() != want {
		t.Errorf("stderr %q", errOut.String())
	}
	if _, ok := fa.asked["__consumer_offsets"]; ok || len(fa.asked["t"]) != 11 {
		t.Errorf("asked for %v", fa.asked)
	}
}
