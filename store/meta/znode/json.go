package znode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// ErrMalformed marks node data that does not decode as its path requires.
var ErrMalformed = errors.New("malformed znode data")

func malformed(path string, format string, args ...any) error {
	return fmt.Errorf("decode %s: %w: %s", path, ErrMalformed, fmt.Sprintf(format, args...))
}

// marshal encodes v compactly, without escaping <, > and & (Kafka writes
// "brokers/<default>" as is).
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only unsupported Go types fail, and every value here is plain data.
		panic(fmt.Sprintf("znode: encoding %T: %v", v, err))
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// unmarshal decodes data into v, naming path in the error.
func unmarshal(path string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return malformed(path, "%v", err)
	}
	return nil
}

// msString is a millisecond timestamp or other int64 that Kafka writes
// as a JSON string, because JavaScript numbers stop at 2^53.
type msString int64

// MarshalJSON writes the number as a JSON string.
func (m msString) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatInt(int64(m), 10) + `"`), nil
}

// UnmarshalJSON reads the number from its JSON string.
func (m *msString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a decimal string: %w", err)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("want a decimal string: %w", err)
	}
	*m = msString(n)
	return nil
}

// replicaMap is a partition-to-brokers map with JSON keys in numeric
// order ("0","1",...,"10"), which reads better than encoding/json's
// string order.
type replicaMap map[int32][]int32

// MarshalJSON writes the partitions in numeric order.
func (m replicaMap) MarshalJSON() ([]byte, error) {
	keys := sortedPartitions(m)
	buf := []byte{'{'}
	for i, p := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '"')
		buf = strconv.AppendInt(buf, int64(p), 10)
		buf = append(buf, '"', ':')
		buf = append(buf, marshal(nonNil(m[p]))...)
	}
	return append(buf, '}'), nil
}

// UnmarshalJSON reads partition numbers from the string keys.
func (m *replicaMap) UnmarshalJSON(b []byte) error {
	var raw map[string][]int32
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(replicaMap, len(raw))
	for k, v := range raw {
		p, err := strconv.ParseInt(k, 10, 32)
		if err != nil || p < 0 || strconv.FormatInt(p, 10) != k {
			return fmt.Errorf("partition %q is not a partition number", k)
		}
		if v == nil {
			return fmt.Errorf("partition %s: replicas null", k)
		}
		out[int32(p)] = v
	}
	*m = out
	return nil
}

func nonNil(s []int32) []int32 {
	if s == nil {
		return []int32{}
	}
	return s
}

// requireVersion checks a decoded version field against the range read.
func requireVersion(path string, v *int, min, max int) (int, error) {
	if v == nil {
		return 0, malformed(path, "no version")
	}
	if *v < min || *v > max {
		return 0, malformed(path, "version %d not in %d..%d", *v, min, max)
	}
	return *v, nil
}
