package consume

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/recordjson"
	"github.com/kqhq/kq/cmd/kq/internal/cli/escape"
)

// formatter appends one record's output to dst.
type formatter interface {
	append(dst []byte, r admin.Record) []byte
}

// jsonFormatter writes JSON lines (-o json).
type jsonFormatter struct{}

func (jsonFormatter) append(dst []byte, r admin.Record) []byte { return recordjson.Append(dst, r) }

// kafkaFormatter is Kafka's DefaultMessageFormatter and its print.*
// properties: [CreateTime:ts][sep Partition:p][sep Offset:o][sep headers]
// [sep key][sep value] then line.separator.
type kafkaFormatter struct {
	timestamp, partition, offset, headers, key, value bool

	keySep, lineSep, headersSep, null string
	// more[i] says whether another field follows field i (timestamp,
	// partition, offset, headers, key), fixed once the properties are read.
	more [5]bool
}

// formatterProperties are the --property keys kafkaFormatter reads.
var formatterProperties = []string{"print.timestamp", "print.partition", "print.offset", "print.headers",
	"print.key", "print.value", "key.separator", "line.separator", "headers.separator", "null.literal"}

func newKafkaFormatter(props map[string]string) (*kafkaFormatter, error) {
	f := &kafkaFormatter{value: true, keySep: "\t", lineSep: "\n", headersSep: ",", null: "null"}
	for key, value := range props {
		if !f.set(key, value) {
			return nil, fmt.Errorf("--property %s: unknown (known: %s)", key, strings.Join(formatterProperties, ", "))
		}
	}
	f.more = [5]bool{f.partition || f.offset || f.headers || f.key || f.value,
		f.offset || f.headers || f.key || f.value, f.headers || f.key || f.value, f.key || f.value, f.value}
	return f, nil
}

func (f *kafkaFormatter) set(key, value string) bool {
	flags := map[string]*bool{"print.timestamp": &f.timestamp, "print.partition": &f.partition,
		"print.offset": &f.offset, "print.headers": &f.headers, "print.key": &f.key, "print.value": &f.value}
	texts := map[string]*string{"key.separator": &f.keySep, "line.separator": &f.lineSep,
		"headers.separator": &f.headersSep, "null.literal": &f.null}
	if b, ok := flags[key]; ok {
		*b = strings.EqualFold(strings.TrimSpace(value), "true")
		return true
	}
	if s, ok := texts[key]; ok {
		*s = escape.Unescape(value)
		return true
	}
	return false
}

func (f *kafkaFormatter) append(dst []byte, r admin.Record) []byte {
	// Each field is followed by the key separator if another field comes
	// after it, else by the line separator: Kafka's writeSeparator.
	more := f.more
	if f.timestamp {
		dst = f.sep(appendTimestamp(dst, r), more[0])
	}
	if f.partition {
		dst = f.sep(strconv.AppendInt(append(dst, "Partition:"...), int64(r.Partition), 10), more[1])
	}
	if f.offset {
		dst = f.sep(strconv.AppendInt(append(dst, "Offset:"...), r.Offset, 10), more[2])
	}
	if f.headers {
		dst = f.sep(f.appendHeaders(dst, r.Headers), more[3])
	}
	if f.key {
		dst = f.sep(f.appendNullable(dst, r.Key), more[4])
	}
	if f.value {
		dst = append(f.appendNullable(dst, r.Value), f.lineSep...)
	}
	return dst
}

func (f *kafkaFormatter) sep(dst []byte, another bool) []byte {
	if another {
		return append(dst, f.keySep...)
	}
	return append(dst, f.lineSep...)
}

func (f *kafkaFormatter) appendNullable(dst, b []byte) []byte {
	if b == nil {
		return append(dst, f.null...)
	}
	return append(dst, b...)
}

func (f *kafkaFormatter) appendHeaders(dst []byte, headers []admin.Header) []byte {
	if len(headers) == 0 {
		return append(dst, "NO_HEADERS"...)
	}
	for i, h := range headers {
		if i > 0 {
			dst = append(dst, f.headersSep...)
		}
		dst = f.appendNullable(append(append(dst, h.Key...), ':'), h.Value)
	}
	return dst
}

func appendTimestamp(dst []byte, r admin.Record) []byte {
	if r.Timestamp.IsZero() {
		return append(dst, "NO_TIMESTAMP"...)
	}
	kind := "CreateTime:"
	if r.LogAppendTime {
		kind = "LogAppendTime:"
	}
	return strconv.AppendInt(append(dst, kind...), r.Timestamp.UnixMilli(), 10)
}
