package config

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// validator checks a parsed value beyond its type, with Kafka's messages.
// String describes the accepted values the way Kafka's docs print them.
type validator interface {
	check(key string, v any) error
	String() string
}

// numberRange is Kafka's ConfigDef.Range.
type numberRange struct {
	min, max       float64
	hasMin, hasMax bool
}

func atLeast(min float64) validator { return numberRange{min: min, hasMin: true} }

func between(min, max float64) validator {
	return numberRange{min: min, max: max, hasMin: true, hasMax: true}
}

func (r numberRange) check(key string, v any) error {
	n, ok := asFloat(v)
	if !ok {
		return nil
	}
	if r.hasMin && n < r.min {
		return invalidValue(key, display(v), "Value must be at least "+bound(r.min))
	}
	if r.hasMax && n > r.max {
		return invalidValue(key, display(v), "Value must be no more than "+bound(r.max))
	}
	return nil
}

func (r numberRange) String() string {
	switch {
	case r.hasMin && r.hasMax:
		return "[" + bound(r.min) + ",...," + bound(r.max) + "]"
	case r.hasMin:
		return "[" + bound(r.min) + ",...]"
	default:
		return "[...," + bound(r.max) + "]"
	}
}

// bound prints a range limit as Kafka's integer-typed limits print.
func bound(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return javaDouble(f)
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// display prints a parsed value inside an error message.
func display(v any) string {
	s, ok := formatValue(v)
	if !ok {
		return "null"
	}
	return s
}

// oneOf is Kafka's ConfigDef.ValidString: case-sensitive membership.
type oneOf []string

func (o oneOf) check(key string, v any) error {
	s, ok := v.(string)
	if !ok || slices.Contains(o, s) {
		return nil
	}
	return invalidValue(key, s, "String must be one of: "+strings.Join(o, ", "))
}

func (o oneOf) String() string { return "[" + strings.Join(o, ", ") + "]" }

// listOf is Kafka's ConfigDef.ValidList.in: every element must be one of the
// values; the refusal names the first bad element, as Kafka's does.
type listOf []string

func (l listOf) check(key string, v any) error {
	items, _ := v.([]string)
	for _, item := range items {
		if err := oneOf(l).check(key, item); err != nil {
			return err
		}
	}
	return nil
}

func (l listOf) String() string { return oneOf(l).String() }

// checkFunc adapts a function with its own message to a validator.
type checkFunc struct {
	fn  func(key string, v any) error
	doc string
}

func (c checkFunc) check(key string, v any) error { return c.fn(key, v) }
func (c checkFunc) String() string                { return c.doc }

// gzipLevel is Kafka's GzipCompression level rule: 1..9, or -1 for the
// library default.
func gzipLevel() validator {
	return checkFunc{doc: "[1,...,9] or -1", fn: func(key string, v any) error {
		n, _ := v.(int32)
		if n == -1 || (n >= 1 && n <= 9) {
			return nil
		}
		return invalidValue(key, display(v), "Value must be between 1 and 9 or equal to -1")
	}}
}

// versionString accepts the metadata version names Kafka 3.9 accepts
// ("0.8.0", "0.10.0-IV1", "2.8", "3.0-IV1", and "0.10.0.0" or "2.8.1",
// read as 0.10.0 and 2.8), refusing the rest as its
// MetadataVersionValidator, with its message (versions.go).
func versionString() validator {
	return checkFunc{doc: versionsDoc(), fn: func(key string, v any) error {
		s, _ := v.(string)
		if _, ok := parseMetadataVersion(s); ok {
			return nil
		}
		return invalidValue(key, s, "Version "+s+" is not a valid version")
	}}
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
