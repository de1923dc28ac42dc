package deleterecords

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

func TestParseOffsetFile(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]map[int32]int64
		err      string
	}{
		{"kafka's example", `{"partitions": [{"topic": "foo", "partition": 1, "offset": 1}], "version": 1}`,
			map[string]map[int32]int64{"foo": {1: 1}}, ""},
		{"no version", `{"partitions": [{"topic": "foo", "partition": 0, "offset": -1}, {"topic": "foo", "partition": 2, "offset": 5}]}`,
			map[string]map[int32]int64{"foo": {0: -1, 2: 5}}, ""},
		{"bad json", `{"partitions": [`, nil, "The input string is not a valid JSON"},
		{"version 2", `{"partitions": [], "version": 2}`, nil, "Not supported version field value 2"},
		{"no partitions", `{"version": 1}`, nil, "Missing partitions field"},
		{"duplicates", `{"partitions": [{"topic": "a", "partition": 0, "offset": 1}, {"topic": "a", "partition": 0, "offset": 2}]}`,
			nil, "Offset json file contains duplicate topic partitions: a-0"},
		{"missing offset", `{"partitions": [{"topic": "a", "partition": 0}]}`, nil, "partition entry 0: topic, partition and offset are all required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOffsetFile([]byte(tt.in))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v %v, want %v", got, err, tt.want)
			}
		})
	}
}

type fakeAdmin []admin.DeletedRecords

func (f fakeAdmin) DeleteRecordsBefore(context.Context, map[string]map[int32]int64) ([]admin.DeletedRecords, error) {
	return f, nil
}

func TestRunPrintsKafkasLines(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	fa := fakeAdmin{{Topic: "a", Partition: 0, LowWatermark: 5}, {Topic: "a", Partition: 1, Err: errors.New("OFFSET_OUT_OF_RANGE")}}
	err := run(context.Background(), &Options{IO: ios, Output: output.Table, Admin: func() (deleteAdmin, error) { return fa, nil }})
	want := "Executing records delete operation\nRecords delete operation completed:\n" +
		"partition: a-0\tlow_watermark: 5\npartition: a-1\terror: OFFSET_OUT_OF_RANGE\n"
	if out.String() != want || err == nil {
		t.Errorf("got %q, %v; want %q and a failure", out.String(), err, want)
	}
}
