package consume

import (
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
)

var sample = admin.Record{Topic: "t", Partition: 2, Offset: 7, Timestamp: time.UnixMilli(1000),
	Key: []byte("k"), Value: []byte("v"), Headers: []admin.Header{{Key: "a", Value: []byte("1")}, {Key: "b"}}}

func TestKafkaFormatterGolden(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		rec   admin.Record
		want  string
	}{
		{"value only", nil, sample, "v\n"},
		{"key", map[string]string{"print.key": "true"}, sample, "k\tv\n"},
		{"everything", map[string]string{"print.timestamp": "true", "print.partition": "true", "print.offset": "true",
			"print.headers": "true", "print.key": "true"}, sample, "CreateTime:1000\tPartition:2\tOffset:7\ta:1,b:null\tk\tv\n"},
		{"separators", map[string]string{"print.key": "true", "key.separator": ` => `, "line.separator": `\r\n`}, sample, "k => v\r\n"},
		{"null key", map[string]string{"print.key": "true", "null.literal": "<nil>"}, admin.Record{Value: []byte("v")}, "<nil>\tv\n"},
		{"no value", map[string]string{"print.key": "true", "print.value": "false"}, sample, "k\n"},
		{"no headers", map[string]string{"print.headers": "true"}, admin.Record{Value: []byte("v")}, "NO_HEADERS\tv\n"},
		{"log append time", map[string]string{"print.timestamp": "true"},
			admin.Record{Timestamp: time.UnixMilli(5), LogAppendTime: true, Value: []byte("v")}, "LogAppendTime:5\tv\n"},
	}
	for _, tt := range tests {
		f, err := newKafkaFormatter(tt.props)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(f.append(nil, tt.rec)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	if _, err := newKafkaFormatter(map[string]string{"print.keys": "true"}); err == nil {
		t.Error("unknown property accepted")
	}
}

func TestTemplateFormatter(t *testing.T) {
	tests := []struct{ format, want string }{
		{`%t %p %o %k %v\n`, "t 2 7 k v\n"},
		{`%T|%K|%V|%S|%s|%h|100%%`, "1000|1|1|1|v|a:1,b:|100%"},
		{`plain`, "plain"},
	}
	for _, tt := range tests {
		f, err := newTemplateFormatter(tt.format)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(f.append(nil, sample)); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.format, got, tt.want)
		}
	}
	for _, bad := range []string{"%x", "trailing %"} {
		if _, err := newTemplateFormatter(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
