package recordjson

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/kqhq/kq/admin"
)

// wireRecord is the input shape; pointers tell "absent or null" apart from
// zero values.
type wireRecord struct {
	Topic     string          `json:"topic"`
	Partition *int32          `json:"partition"`
	Offset    *int64          `json:"offset"`
	Timestamp *int64          `json:"timestamp"`
	Key       *string         `json:"key"`
	KeyB64    *string         `json:"key_b64"`
	Value     *string         `json:"value"`
	ValueB64  *string         `json:"value_b64"`
	Headers   json.RawMessage `json:"headers"`
}

type wireHeader struct {
	Key      *string `json:"key"`
	KeyB64   *string `json:"key_b64"`
	Value    *string `json:"value"`
	ValueB64 *string `json:"value_b64"`
}

// Decode parses one JSON line into a record. Partition is
// admin.AnyPartition when the line has none; Offset is ignored.
func Decode(line []byte) (admin.Record, error) {
	var w wireRecord
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return admin.Record{}, fmt.Errorf("invalid JSON record: %w", err)
	}
	if dec.More() {
		return admin.Record{}, errors.New("invalid JSON record: more than one value on the line")
	}
	return w.record()
}

func (w wireRecord) record() (admin.Record, error) {
	r := admin.Record{Topic: w.Topic, Partition: admin.AnyPartition, Timestamp: millisToTime(w.Timestamp)}
	if w.Partition != nil {
		if *w.Partition < admin.AnyPartition {
			return admin.Record{}, fmt.Errorf("invalid JSON record: negative partition %d", *w.Partition)
		}
		r.Partition = *w.Partition
	}
	var err error
	if r.Key, err = bytesField("key", w.Key, w.KeyB64); err != nil {
		return admin.Record{}, err
	}
	if r.Value, err = bytesField("value", w.Value, w.ValueB64); err != nil {
		return admin.Record{}, err
	}
	r.Headers, err = decodeHeaders(w.Headers)
	return r, err
}

// bytesField picks the string or the base64 form; neither is null.
func bytesField(name string, text, b64 *string) ([]byte, error) {
	switch {
	case text != nil && b64 != nil:
		return nil, fmt.Errorf("invalid JSON record: both %q and %q given", name, name+"_b64")
	case text != nil:
		return []byte(*text), nil
	case b64 != nil:
		b, err := base64.StdEncoding.DecodeString(*b64)
		if err != nil {
			return nil, fmt.Errorf("invalid JSON record: %s_b64: %w", name, err)
		}
		return b, nil
	}
	return nil, nil
}

func decodeHeaders(raw json.RawMessage) ([]admin.Header, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] == '{' {
		return decodeHeaderObject(raw)
	}
	var list []wireHeader
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("invalid JSON record: headers: %w", err)
	}
	out := make([]admin.Header, 0, len(list))
	for i, h := range list {
		key, err := bytesField("headers key", h.Key, h.KeyB64)
		if err != nil {
			return nil, err
		}
		if key == nil {
			return nil, fmt.Errorf("invalid JSON record: header %d has no key", i)
		}
		value, err := bytesField("headers value", h.Value, h.ValueB64)
		if err != nil {
			return nil, err
		}
		out = append(out, admin.Header{Key: string(key), Value: value})
	}
	return out, nil
}

// decodeHeaderObject accepts {"name":"value",...}, sorted by name since an
// object has no order.
func decodeHeaderObject(raw json.RawMessage) ([]admin.Header, error) {
	var m map[string]*string
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("invalid JSON record: headers: %w", err)
	}
	out := make([]admin.Header, 0, len(m))
	for k, v := range m {
		h := admin.Header{Key: k}
		if v != nil {
			h.Value = []byte(*v)
		}
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}
