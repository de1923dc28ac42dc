package dumplog

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// parser turns a record's key and value into the text printed after
// "key:" and "payload:"; a nil result prints nothing. Kafka's
// MessageParser.
type parser func(offset int64, key, value []byte) (k, v *string)

// decoder is one of Kafka's org.apache.kafka.tools.api decoders.
type decoder func([]byte) string

// decoders are the classes --key-decoder-class and --value-decoder-class
// accept: Kafka's own, under their 3.9 names and the older kafka.serializer
// ones. Custom classes cannot be loaded into a Go binary.
var decoders = map[string]decoder{
	"StringDecoder":  func(b []byte) string { return strings.ToValidUTF8(string(b), "\uFFFD") },
	"DefaultDecoder": defaultDecoder,
	"IntegerDecoder": func(b []byte) string { return fixed(b, 4) },
	"LongDecoder":    func(b []byte) string { return fixed(b, 8) },
}

// decoderFor resolves a class name; "" is StringDecoder, Kafka's default.
func decoderFor(class string) (decoder, error) {
	if class == "" {
		return decoders["StringDecoder"], nil
	}
	for _, pkg := range []string{"org.apache.kafka.tools.api.", "kafka.serializer.", ""} {
		if name, ok := strings.CutPrefix(class, pkg); ok {
			if d, ok := decoders[name]; ok {
				return d, nil
			}
		}
	}
	return nil, fmt.Errorf("decoder class %q is not available: kq has Kafka's StringDecoder, DefaultDecoder, IntegerDecoder and LongDecoder", class)
}

// defaultDecoder returns the bytes. Kafka prints a Java byte[] (its
// identity, "[B@1b2c3d"); kq prints the bytes, escaped where they are not
// printable, which is what the option is used for in practice.
func defaultDecoder(b []byte) string {
	q := strconv.QuoteToASCII(string(b))
	return q[1 : len(q)-1]
}

// fixed reads a big-endian integer of n bytes, as ByteBuffer.getInt/getLong;
// fewer bytes is the exception Kafka would throw, as text.
func fixed(b []byte, n int) string {
	if len(b) < n {
		return fmt.Sprintf("<%d bytes, short of a %d-byte integer>", len(b), n)
	}
	if n == 4 {
		return strconv.Itoa(int(int32(binary.BigEndian.Uint32(b))))
	}
	return strconv.FormatInt(int64(binary.BigEndian.Uint64(b)), 10)
}

// stringParser is Kafka's DecoderMessageParser: a null key or value prints
// nothing.
func stringParser(kd, vd decoder) parser {
	return func(_ int64, key, value []byte) (*string, *string) {
		var k, v *string
		if key != nil {
			s := kd(key)
			k = &s
		}
		if value != nil {
			s := vd(value)
			v = &s
		}
		return k, v
	}
}

func ptr(s string) *string { return &s }

// txnParser is Kafka's TransactionLog.formatRecordKeyAndValue for records
// of __transaction_state.
func txnParser(offset int64, key, value []byte) (*string, *string) {
	var k kmsg.TxnMetadataKey
	if err := k.ReadFrom(key); err != nil {
		return ptr(fmt.Sprintf("Error at offset %d, skipping. %v", offset, err)), nil
	}
	if k.Version != 0 {
		return ptr(fmt.Sprintf("unknown::version=%d", k.Version)), nil
	}
	ks := "transaction_metadata::transactionalId=" + k.TransactionalID
	if value == nil {
		return &ks, ptr("<DELETE>")
	}
	var v kmsg.TxnMetadataValue
	if err := v.ReadFrom(value); err != nil || v.Version < 0 || v.Version > 1 {
		return &ks, ptr(fmt.Sprintf("Error at offset %d, skipping. unknown version %d from the transaction log message value (%v)", offset, v.Version, err))
	}
	return &ks, ptr(txnValueText(&v))
}

func txnValueText(v *kmsg.TxnMetadataValue) string {
	var parts []string
	if v.State != 0 { // Kafka drops the partitions of an Empty transaction
		for _, t := range v.Topics {
			for _, p := range t.Partitions {
				parts = append(parts, t.Topic+"-"+strconv.Itoa(int(p)))
			}
		}
	}
	return fmt.Sprintf("producerId:%d,producerEpoch:%d,state=%s,partitions=[%s],txnLastUpdateTimestamp=%d,txnTimeoutMs=%d",
		v.ProducerID, v.ProducerEpoch, v.State, strings.Join(parts, ","), v.LastUpdateTimestamp, v.TimeoutMillis)
}
