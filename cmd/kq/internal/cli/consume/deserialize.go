package consume

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
)

// The formatter properties naming deserializers (--key-deserializer and
// --value-deserializer set them too).
const (
	keyDeserializerKey   = "key.deserializer"
	valueDeserializerKey = "value.deserializer"
	deserializerPackage  = "org.apache.kafka.common.serialization."
)

// deserializer turns a key or value into the text Kafka's
// DefaultMessageFormatter prints for it; nil stays nil.
type deserializer func([]byte) ([]byte, error)

// deserializers are Kafka's built-in ones. The byte deserializers print
// the bytes as they are (Kafka would print the Java object's toString).
var deserializers = map[string]deserializer{
	"ByteArrayDeserializer":  raw,
	"ByteBufferDeserializer": raw,
	"BytesDeserializer":      raw,
	"StringDeserializer":     utf8Text,
	"ShortDeserializer":      fixed("ShortDeserializer", 2, func(b []byte) string { return strconv.Itoa(int(int16(binary.BigEndian.Uint16(b)))) }),
	"IntegerDeserializer":    fixed("IntegerDeserializer", 4, func(b []byte) string { return strconv.Itoa(int(int32(binary.BigEndian.Uint32(b)))) }),
	"LongDeserializer":       fixed("LongDeserializer", 8, func(b []byte) string { return strconv.FormatInt(int64(binary.BigEndian.Uint64(b)), 10) }),
	"FloatDeserializer":      fixed("FloatDeserializer", 4, func(b []byte) string { return javaFloat(float64(math.Float32frombits(binary.BigEndian.Uint32(b))), 32) }),
	"DoubleDeserializer":     fixed("DoubleDeserializer", 8, func(b []byte) string { return javaFloat(math.Float64frombits(binary.BigEndian.Uint64(b)), 64) }),
	"UUIDDeserializer":       uuidText,
	"VoidDeserializer":       void,
}

// deserializerFor looks up a class name; "" is no deserializer (raw bytes).
func deserializerFor(flag, class string) (deserializer, error) {
	if class == "" {
		return nil, nil
	}
	if d, ok := deserializers[strings.TrimPrefix(strings.TrimSpace(class), deserializerPackage)]; ok && strings.HasPrefix(class, deserializerPackage) {
		return d, nil
	}
	names := make([]string, 0, len(deserializers))
	for n := range deserializers {
		names = append(names, n)
	}
	slices.Sort(names)
	return nil, clierr.Usagef("%s %s is refused: kq cannot load Java classes; it has Kafka's %s{%s}",
		flag, class, deserializerPackage, strings.Join(names, ","))
}

func raw(b []byte) ([]byte, error) { return b, nil }

func utf8Text(b []byte) ([]byte, error) {
	if utf8.Valid(b) {
		return b, nil
	}
	return []byte(strings.ToValidUTF8(string(b), "\uFFFD")), nil
}

func fixed(name string, size int, text func([]byte) string) deserializer {
	return func(b []byte) ([]byte, error) {
		if len(b) != size {
			return nil, fmt.Errorf("size of data received by %s is not %d", name, size)
		}
		return []byte(text(b)), nil
	}
}

// uuidText is UUIDDeserializer: the bytes are a UUID's text form, printed
// in its canonical lower case.
func uuidText(b []byte) ([]byte, error) {
	s := strings.ToLower(string(b))
	if len(s) != 36 {
		return nil, fmt.Errorf("error parsing data into UUID: %q", b)
	}
	for i := 0; i < len(s); i++ {
		hyphen := i == 8 || i == 13 || i == 18 || i == 23
		if hyphen != (s[i] == '-') || !hyphen && !strings.ContainsRune("0123456789abcdef", rune(s[i])) {
			return nil, fmt.Errorf("error parsing data into UUID: %q", b)
		}
	}
	return []byte(s), nil
}

// void is VoidDeserializer: it is only ever given non-null data, which it
// refuses.
func void([]byte) ([]byte, error) {
	return nil, fmt.Errorf("data of VoidDeserializer must be null")
}

// javaFloat formats f as Java's Float/Double.toString does: plain
// decimals between 10^-3 and 10^7, computerized scientific notation
// (1.0E10) outside, always with a fractional digit.
func javaFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	abs := math.Abs(f)
	if f == 0 || abs >= 1e-3 && abs < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, bits) // 1E+10, 1.5E-05
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	n, _ := strconv.Atoi(exp) // FormatFloat wrote a valid exponent
	return mant + "E" + strconv.Itoa(n)
}

// deserializing applies the key and value deserializers to a record.
type deserializing struct{ key, value deserializer }

func (d deserializing) apply(r admin.Record) (admin.Record, error) {
	var err error
	if d.key != nil && r.Key != nil {
		if r.Key, err = d.key(r.Key); err != nil {
			return r, fmt.Errorf("key: %w", err)
		}
	}
	if d.value != nil && r.Value != nil {
		if r.Value, err = d.value(r.Value); err != nil {
			return r, fmt.Errorf("value: %w", err)
		}
	}
	return r, nil
}
