package logdirs

import (
	"context"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

type fakeAdmin struct {
	dirs  []admin.LogDir
	asked []int32
}

func (f *fakeAdmin) Cluster(context.Context) (admin.Cluster, error) {
	return admin.Cluster{Brokers: []admin.Broker{{ID: 2}, {ID: 1}}}, nil
}

func (f *fakeAdmin) LogDirsOf(_ context.Context, brokers []int32) ([]admin.LogDir, error) {
	f.asked = brokers
	return f.dirs, nil
}

func TestLogDirsPrintsKafkasDocument(t *testing.T) {
	fa := &fakeAdmin{dirs: []admin.LogDir{
		{Broker: 1, Dir: "/d1", Partitions: []admin.LogDirPartition{{Topic: "a", Partition: 0, Size: 10}, {Topic: "b", Partition: 1, Size: 5, IsFuture: true}}},
		{Broker: 2, Dir: "/d2", Err: kerr.KafkaStorageError, Partitions: []admin.LogDirPartition{}},
	}}
	tests := []struct {
		name    string
		brokers []int32
		topics  []string
		want    string
		err     string
	}{
		{"every broker, topic a", nil, []string{"a"},
			"Querying brokers for log directories information\nReceived log directory information from brokers 1,2\n" +
				`{"brokers":[{"broker":1,"logDirs":[{"partitions":[{"partition":"a-0","size":10,"offsetLag":0,"isFuture":false}],"error":null,"logDir":"/d1"}]},` +
				`{"broker":2,"logDirs":[{"partitions":[],"error":"org.apache.kafka.common.errors.KafkaStorageException","logDir":"/d2"}]}],"version":1}` + "\n", ""},
		{"unknown broker", []int32{1, 7}, nil, "", "The given brokers do not exist from --broker-list: 7. Current existent brokers: 1,2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			err := run(context.Background(), &Options{IO: ios, Output: output.Table, Brokers: tt.brokers, Topics: tt.topics,
				Admin: func() (logDirsAdmin, error) { return fa, nil }})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || out.String() != tt.want {
				t.Fatalf("got %q %v\nwant %q", out.String(), err, tt.want)
			}
		})
	}
}
