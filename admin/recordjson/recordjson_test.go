package recordjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
)

var ts = time.UnixMilli(1700000000123)

func TestAppendGolden(t *testing.T) {
	tests := []struct {
		name string
		rec  admin.Record
		want string
	}{
		{"text", admin.Record{Topic: "t", Partition: 1, Offset: 7, Timestamp: ts, Key: []byte("k"), Value: []byte("v"),
			Headers: []admin.Header{{Key: "h", Value: []byte("x")}}},
			`{"topic":"t","partition":1,"offset":7,"timestamp":1700000000123,"key":"k","value":"v","headers":[{"key":"h","value":"x"}]}`},
		{"nulls and empties", admin.Record{Topic: "t", Timestamp: ts, Key: nil, Value: []byte{},
			Headers: []admin.Header{{Key: "n", Value: nil}}},
			`{"topic":"t","partition":0,"offset":0,"timestamp":1700000000123,"key":null,"value":"","headers":[{"key":"n","value":null}]}`},
		{"binary", admin.Record{Topic: "t", Timestamp: ts, Key: []byte{0xff}, Value: []byte{0, 0xfe},
			Headers: []admin.Header{{Key: "\xff", Value: []byte{0x80}}}},
			`{"topic":"t","partition":0,"offset":0,"timestamp":1700000000123,"key_b64":"/w==","value_b64":"AP4=","headers":[{"key_b64":"/w==","value_b64":"gA=="}]}`},
		{"escapes", admin.Record{Topic: "t", Timestamp: ts, Value: []byte("a\"b\\c\nd\te\x01é")},
			`{"topic":"t","partition":0,"offset":0,"timestamp":1700000000123,"key":null,"value":"a\"b\\c\nd\te\u0001é","headers":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Append(nil, tt.rec))
			if got != tt.want+"\n" {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
			if !json.Valid([]byte(got)) {
				t.Fatal("not valid JSON")
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	recs := []admin.Record{
		{Topic: "t", Partition: 2, Timestamp: ts, Key: []byte("k"), Value: []byte("v")},
		{Topic: "t", Partition: 0, Timestamp: ts, Key: nil, Value: nil},
		{Topic: "t", Partition: 0, Timestamp: ts, Key: []byte{}, Value: []byte{}},
		{Topic: "t", Partition: 0, Timestamp: ts, Key: []byte{0, 1, 2, 0xff}, Value: []byte("\xc3\x28"),
			Headers: []admin.Header{{Key: "a", Value: nil}, {Key: "a", Value: []byte{}}, {Key: "\xfe", Value: []byte("z")}}},
	}
	for _, want := range recs {
		got, err := Decode(bytes.TrimSuffix(Append(nil, want), []byte("\n")))
		if err != nil {
			t.Fatal(err)
		}
		if !sameRecord(got, want) {
			t.Fatalf("got %+v\nwant %+v", got, want)
		}
	}
}

func sameRecord(a, b admin.Record) bool {
	return a.Topic == b.Topic && a.Partition == b.Partition && a.Timestamp.Equal(b.Timestamp) &&
		sameBytes(a.Key, b.Key) && sameBytes(a.Value, b.Value) && sameHeaders(a.Headers, b.Headers)
}

// sameBytes tells nil (null) from empty.
func sameBytes(a, b []byte) bool { return (a == nil) == (b == nil) && bytes.Equal(a, b) }

func sameHeaders(a, b []admin.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || !sameBytes(a[i].Value, b[i].Value) {
			return false
		}
	}
	return true
}

func TestDecodeInputs(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    admin.Record
		wantErr string
	}{
		{"minimal", `{"value":"v"}`, admin.Record{Partition: admin.AnyPartition, Value: []byte("v")}, ""},
		{"header object", `{"topic":"t","headers":{"b":"2","a":null}}`,
			admin.Record{Topic: "t", Partition: admin.AnyPartition, Headers: []admin.Header{{Key: "a"}, {Key: "b", Value: []byte("2")}}}, ""},
		{"both forms", `{"key":"a","key_b64":"YQ=="}`, admin.Record{}, "both"},
		{"bad base64", `{"value_b64":"!!"}`, admin.Record{}, "value_b64"},
		{"unknown field", `{"vaule":"x"}`, admin.Record{}, "unknown field"},
		{"any partition", `{"partition":-1,"timestamp":-1}`, admin.Record{Partition: admin.AnyPartition}, ""},
		{"negative partition", `{"partition":-3}`, admin.Record{}, "negative partition"},
		{"two values", `{} {}`, admin.Record{}, "more than one"},
		{"header without key", `{"headers":[{"value":"x"}]}`, admin.Record{}, "no key"},
		{"not json", `hello`, admin.Record{}, "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.line))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v %v", got, err)
			}
		})
	}
}

// FuzzDecode feeds arbitrary lines to the decoder: it must not panic, and
// whatever it accepts must survive Append -> Decode unchanged.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"topic":"t","partition":1,"offset":2,"timestamp":3,"key":"k","value_b64":"AP8=","headers":[{"key":"h","value":null}]}`))
	f.Add([]byte(`{"headers":{"a":"b"}}`))
	f.Add([]byte(`{"key":"\u0000\ud800"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, line []byte) {
		rec, err := Decode(line)
		if err != nil {
			return
		}
		again, err := Decode(bytes.TrimSuffix(Append(nil, rec), []byte("\n")))
		if err != nil {
			t.Fatalf("re-decode of %q: %v", Append(nil, rec), err)
		}
		if !sameRecord(again, rec) {
			t.Fatalf("round trip changed the record:\n%+v\n%+v", rec, again)
		}
	})
}

func BenchmarkAppend(b *testing.B) {
	rec := admin.Record{Topic: "topic", Partition: 3, Offset: 123456, Timestamp: ts,
		Key: []byte("key-000123"), Value: bytes.Repeat([]byte("x"), 100)}
	b.SetBytes(int64(len(rec.Value)))
	var buf []byte
	for b.Loop() {
		buf = Append(buf[:0], rec)
	}
}
