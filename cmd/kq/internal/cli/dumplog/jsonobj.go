package dumplog

import (
	"bytes"
	"encoding/json"
)

// obj is a JSON object that keeps its keys in order: Kafka's generated
// JsonConverters write a message's fields in schema order, and the
// offsets decoder's lines are compared with Kafka's.
type obj []field

type field struct {
	k string
	v any
}

// MarshalJSON writes the fields in order, compact as Jackson writes them.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k) // a string always marshals
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping (Jackson does not escape
// '<', '>' or '&').
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// text is o as one line of JSON.
func (o obj) text() string {
	b, err := marshal(o)
	if err != nil {
		return err.Error() // unreachable: obj holds only plain values
	}
	return string(b)
}

// nullableBytes is Kafka's JSON for a nullable bytes field: base64, or
// null ([]byte(nil) marshals as null, an empty slice as "").
func nullableBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// nullableString is Kafka's JSON for a nullable string.
func nullableString(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}
