package produce

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

func TestInputTemplate(t *testing.T) {
	tests := []struct {
		format, line string
		want         admin.Record
		wantErr      string
	}{
		{`%k %v\n`, "key value with spaces", admin.Record{Partition: admin.AnyPartition, Key: []byte("key"), Value: []byte("value with spaces")}, ""},
		{`[%p] %T %k=%v`, "[2] 1000 a=b=c", admin.Record{Partition: 2, Timestamp: time.UnixMilli(1000), Key: []byte("a"), Value: []byte("b=c")}, ""},
		{`%t:%v`, "orders:x", admin.Record{Topic: "orders", Partition: admin.AnyPartition, Value: []byte("x")}, ""},
		{`100%% %v`, "100% v", admin.Record{Partition: admin.AnyPartition, Value: []byte("v")}, ""},
		{`%k %v`, "nospace", admin.Record{}, `" " after %k not found`},
		{`[%p] %v`, "x", admin.Record{}, "does not start with"},
		{`%p %v`, "p v", admin.Record{}, "not a partition number"},
	}
	for _, tt := range tests {
		tmpl, err := parseInputTemplate(tt.format)
		if err != nil {
			t.Fatalf("%q: %v", tt.format, err)
		}
		got, err := tmpl.parse([]byte(tt.line), 1)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q on %q: err %v", tt.format, tt.line, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q on %q: got %+v %v", tt.format, tt.line, got, err)
		}
	}
	for _, bad := range []string{"plain", "%k%v", "%x", "%k %k", "end %"} {
		if _, err := parseInputTemplate(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestProduceWithFormat(t *testing.T) {
	c := newCluster(t, 2)
	env := clitest.New(c)
	env.In.WriteString("t 1 k1 v1\n")
	if err := execute(env, nil, "--format", `%t %p %k %v\n`); err != nil {
		t.Fatal(err)
	}
	if recs := c.Records("t", 1); len(recs) != 1 || string(recs[0].Key) != "k1" {
		t.Fatalf("records %+v", recs)
	}
	err := execute(clitest.New(c), func(context.Context, *Options) error { return nil }, "-t", "t", "--format", "%v", "--input", "json")
	if clierr.Code(err) != clierr.CodeUsage {
		t.Fatalf("--format with --input json: %v", err)
	}
}
