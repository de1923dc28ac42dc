package msgset

import (
	"fmt"
)

// Decoded is a legacy message set with its wrappers opened.
type Decoded struct {
	Messages []Message // in set order, offsets absolute
	// Codec is the codec of the last compressed wrapper, None when there is
	// none: Kafka's source codec, the one compression.type=producer keeps.
	Codec Codec
	// Magic is the highest magic in the set.
	Magic int8
}

// Decode parses a legacy message set (magic 0 or 1), checking every CRC,
// opening compressed wrappers and making magic 1 inner offsets absolute. At
// most maxDecompressed bytes are inflated in all. The messages' slices
// alias set or decompressed buffers owned by the result.
func Decode(set []byte, maxDecompressed int64) (Decoded, error) {
	d := Decoded{}
	budget := maxDecompressed
	for pos := 0; pos < len(set); {
		m, n, err := splitMessage(set[pos:])
		if err != nil {
			return Decoded{}, fmt.Errorf("message at byte %d: %w", pos, err)
		}
		d.Magic = max(d.Magic, m.magic)
		if m.codec() == None {
			d.Messages = append(d.Messages, plainMessage(m))
		} else if err := d.openWrapper(m, &budget); err != nil {
			return Decoded{}, fmt.Errorf("wrapper at byte %d (offset %d): %w", pos, m.offset, err)
		}
		pos += n
	}
	return d, nil
}

func plainMessage(m legacyMessage) Message {
	return Message{
		Offset: m.offset, Timestamp: m.timestamp, Key: m.key, Value: m.value,
		LogAppendTime: m.magic == 1 && m.attrs&attrLogAppTs != 0,
	}
}

// openWrapper decompresses a wrapper and appends its inner messages.
func (d *Decoded) openWrapper(w legacyMessage, budget *int64) error {
	switch c := w.codec(); {
	case c == Zstd:
		return fmt.Errorf("zstd in a magic %d message: %w", w.magic, ErrUnsupportedCompression)
	case c > Zstd:
		return fmt.Errorf("unknown compression codec %d: %w", c, ErrCorrupt)
	}
	if w.value == nil {
		return fmt.Errorf("compressed message with a null value: %w", ErrCorrupt)
	}
	inner, err := decompress(nil, w.codec(), w.value, *budget, w.magic == 0)
	if err != nil {
		return err
	}
	*budget -= int64(len(inner))
	msgs, err := innerMessages(w, inner)
	if err != nil {
		return err
	}
	d.Messages = append(d.Messages, msgs...)
	d.Codec = w.codec()
	return nil
}

// innerMessages parses a wrapper's decompressed set: uncompressed messages
// of the wrapper's magic, with magic 1 offsets and LogAppendTime resolved
// against the wrapper.
func innerMessages(w legacyMessage, inner []byte) ([]Message, error) {
	var msgs []Message
	for pos := 0; pos < len(inner); {
		m, n, err := splitMessage(inner[pos:])
		if err != nil {
			return nil, fmt.Errorf("inner message %d: %w", len(msgs), err)
		}
		if m.codec() != None {
			return nil, fmt.Errorf("inner message %d is compressed too: %w", len(msgs), ErrCorrupt)
		}
		if m.magic != w.magic {
			return nil, fmt.Errorf("inner message %d of magic %d in a magic %d wrapper: %w", len(msgs), m.magic, w.magic, ErrCorrupt)
		}
		msgs = append(msgs, plainMessage(m))
		pos += n
	}
	if len(msgs) == 0 {
		return nil, fmt.Errorf("compressed message with no inner messages: %w", ErrInvalid)
	}
	if w.magic == 1 {
		resolveV1(w, msgs)
	}
	return msgs, nil
}

// resolveV1 applies a magic 1 wrapper to its inner messages: inner offsets
// are relative, the wrapper's offset being the last one's absolute offset;
// a LogAppendTime wrapper's timestamp is every inner message's.
func resolveV1(w legacyMessage, msgs []Message) {
	base := w.offset - msgs[len(msgs)-1].Offset
	logAppend := w.attrs&attrLogAppTs != 0
	for i := range msgs {
		msgs[i].Offset += base
		if logAppend {
			msgs[i].Timestamp, msgs[i].LogAppendTime = w.timestamp, true
		}
	}
}
