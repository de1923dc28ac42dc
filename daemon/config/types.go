package config

import (
	"math"
	"strconv"
	"strings"
)

// Parsed values use one Go type per Kafka type:
//
//	BOOLEAN bool, STRING/CLASS/PASSWORD string, INT int32, SHORT int16,
//	LONG int64, DOUBLE float64, LIST []string.
//
// A nil value is Kafka's null (unset key with a null default).

// javaTrim trims as Java's String.trim does (every char <= ' '), which is
// what Kafka applies before parsing any string value.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// parseValue converts raw to the Go type of def's Kafka type, with Kafka's
// messages on failure. It does not run the def's validator.
func parseValue(def *Def, raw string) (any, error) {
	s := javaTrim(raw)
	switch def.Type {
	case typeBool:
		return parseBool(def.Name, raw, s)
	case typeInt:
		n, err := strconv.ParseInt(s, 10, 32)
		return int32(n), notANumber(def, raw, err)
	case typeShort:
		n, err := strconv.ParseInt(s, 10, 16)
		return int16(n), notANumber(def, raw, err)
	case typeLong:
		n, err := strconv.ParseInt(s, 10, 64)
		return n, notANumber(def, raw, err)
	case typeDouble:
		f, err := strconv.ParseFloat(s, 64)
		return f, notANumber(def, raw, err)
	case typeList:
		return splitList(s), nil
	default: // STRING, CLASS, PASSWORD
		return s, nil
	}
}

func parseBool(key, raw, s string) (any, error) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, nil
	case strings.EqualFold(s, "false"):
		return false, nil
	}
	return nil, invalidValue(key, raw, "Expected value to be either true or false")
}

func notANumber(def *Def, raw string, err error) error {
	if err == nil {
		return nil
	}
	return invalidValue(def.Name, raw, "Not a number of type "+def.Type.String())
}

// splitList splits a trimmed LIST value on commas and the blanks around
// them, keeping empty elements as Kafka does ("a,,b" has three).
func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.TrimFunc(p, isJavaRegexSpace)
	}
	return parts
}

// isJavaRegexSpace is the \s class of Java regexes, which Kafka's list
// splitting uses.
func isJavaRegexSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

// formatValue renders a parsed value as Kafka's ConfigDef.convertToString
// does; ok is false for null.
func formatValue(v any) (s string, ok bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case bool:
		return strconv.FormatBool(x), true
	case int16:
		return strconv.FormatInt(int64(x), 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return javaDouble(x), true
	case []string:
		return strings.Join(x, ","), true
	case string:
		return x, true
	}
	return "", false
}

// javaDouble formats f as Java's Double.toString, so doubles read back the
// way Kafka prints them ("0.5", "1.0", "1.7976931348623157E308").
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	if a := math.Abs(f); a == 0 || (a >= 1e-3 && a < 1e7) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	mant, exp, _ := strings.Cut(strconv.FormatFloat(f, 'E', -1, 64), "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	n, _ := strconv.Atoi(exp) // exp is always a valid integer from FormatFloat
	return mant + "E" + strconv.Itoa(n)
}
