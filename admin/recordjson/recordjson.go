// Package recordjson is the JSON-lines form of a record that
// `kq consume -o json` writes, `kq produce --input json` reads and
// `kq tui` copies (it lives in admin so the TUI and the CLI share it):
//
//	{"topic":"t","partition":0,"offset":42,"timestamp":1700000000000,
//	 "key":"k","value":"v","headers":[{"key":"h","value":"x"}]}
//
// Bytes that are valid UTF-8 are written as JSON strings; any other key,
// value or header is written base64 (standard alphabet, padded) under a
// "_b64" name instead: "key_b64", "value_b64", and in a header "key_b64"
// or "value_b64". A null key, value or header value is JSON null. So a
// consume | produce round trip is byte-exact, null and empty included.
//
// On input every field is optional: a missing key or value is null, a
// missing or -1 partition lets the producer choose, a missing or -1
// timestamp is the time of sending.
// Headers may also be given as an object {"name":"value"}. Offsets are
// ignored on input (the broker assigns them).
package recordjson

import (
	"encoding/base64"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/kqhq/kq/admin"
)

// Append appends r as one JSON line, newline included, to dst.
func Append(dst []byte, r admin.Record) []byte {
	dst = append(dst, `{"topic":`...)
	dst = appendString(dst, r.Topic)
	dst = append(dst, `,"partition":`...)
	dst = strconv.AppendInt(dst, int64(r.Partition), 10)
	dst = append(dst, `,"offset":`...)
	dst = strconv.AppendInt(dst, r.Offset, 10)
	dst = append(dst, `,"timestamp":`...)
	dst = strconv.AppendInt(dst, timestampMillis(r.Timestamp), 10)
	dst = appendBytesField(dst, "key", r.Key)
	dst = appendBytesField(dst, "value", r.Value)
	dst = append(dst, `,"headers":`...)
	dst = AppendHeaders(dst, r.Headers)
	return append(dst, "}\n"...)
}

// AppendHeaders appends headers as the JSON array a line holds under
// "headers" (the TUI's CSV export writes it in a column).
func AppendHeaders(dst []byte, headers []admin.Header) []byte {
	dst = append(dst, '[')
	for i, h := range headers {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendHeader(dst, h)
	}
	return append(dst, ']')
}

func appendHeader(dst []byte, h admin.Header) []byte {
	if utf8.ValidString(h.Key) {
		dst = append(dst, `{"key":`...)
		dst = appendString(dst, h.Key)
	} else {
		dst = append(dst, `{"key_b64":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, []byte(h.Key))
		dst = append(dst, '"')
	}
	dst = appendBytesField(dst, "value", h.Value)
	return append(dst, '}')
}

// appendBytesField appends ,"name":... choosing string, null or _b64.
func appendBytesField(dst []byte, name string, b []byte) []byte {
	switch {
	case b == nil:
		return append(append(append(dst, `,"`...), name...), `":null`...)
	case utf8.Valid(b):
		dst = append(append(append(dst, `,"`...), name...), `":`...)
		return appendString(dst, string(b))
	default:
		dst = append(append(append(dst, `,"`...), name...), `_b64":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, b)
		return append(dst, '"')
	}
}

const hexDigits = "0123456789abcdef"

// appendString appends s, valid UTF-8, as a JSON string.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// timestampMillis is Kafka's form of a timestamp: epoch milliseconds, -1
// for none.
func timestampMillis(t time.Time) int64 {
	if t.IsZero() {
		return -1
	}
	return t.UnixMilli()
}

// millisToTime reverses timestampMillis: absent or negative is the zero
// time, which the producer replaces with the current time.
func millisToTime(ms *int64) time.Time {
	if ms == nil || *ms < 0 {
		return time.Time{}
	}
	return time.UnixMilli(*ms)
}
