package config

import (
	"fmt"
	"strings"
)

// reader hands typed values out of a parsed key->value map to the fill
// functions of each config area. A key that is missing or of an unexpected
// type is a bug in this package's tables, not bad input: reader records it
// and the caller returns it as an error instead of panicking.
type reader struct {
	vals map[string]any
	// raw holds the values the operator set (all layers merged), so rules
	// that depend on whether a key was set, not on its value, can ask.
	raw    map[string]string
	faults []string
}

// isSet reports whether the operator set key in any layer.
func (r *reader) isSet(key string) bool {
	_, ok := r.raw[key]
	return ok
}

func (r *reader) fault(key, want string) {
	r.faults = append(r.faults, fmt.Sprintf("%s read as %s but holds %T", key, want, r.vals[key]))
}

// err reports table bugs found while reading.
func (r *reader) err() error {
	if len(r.faults) == 0 {
		return nil
	}
	return fmt.Errorf("config: internal definition error: %s", strings.Join(r.faults, "; "))
}

func (r *reader) bool(key string) bool {
	v, ok := r.vals[key].(bool)
	if !ok {
		r.fault(key, "bool")
	}
	return v
}

// str reads STRING, CLASS and PASSWORD keys; null reads as "".
func (r *reader) str(key string) string {
	switch v := r.vals[key].(type) {
	case string:
		return v
	case nil:
		if _, known := r.vals[key]; known {
			return ""
		}
	}
	r.fault(key, "string")
	return ""
}

func (r *reader) list(key string) []string {
	v, ok := r.vals[key].([]string)
	if !ok {
		r.fault(key, "list")
	}
	return v
}

func (r *reader) i16(key string) int16 {
	v, ok := r.vals[key].(int16)
	if !ok {
		r.fault(key, "int16")
	}
	return v
}

func (r *reader) i32(key string) int32 {
	v, ok := r.vals[key].(int32)
	if !ok {
		r.fault(key, "int32")
	}
	return v
}

// i64 reads any integer key widened to int64: byte sizes and durations are
// int64 in the typed structs whatever Kafka's declared width.
func (r *reader) i64(key string) int64 {
	v, ok := r.optI64(key)
	if !ok {
		r.fault(key, "integer")
	}
	return v
}

// optI64 reads an integer key that may be null; ok is false for null.
func (r *reader) optI64(key string) (int64, bool) {
	switch v := r.vals[key].(type) {
	case int16:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	}
	return 0, false
}

func (r *reader) f64(key string) float64 {
	v, ok := r.vals[key].(float64)
	if !ok {
		r.fault(key, "float64")
	}
	return v
}
