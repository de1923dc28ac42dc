package recordbatch

import "fmt"

// Recompress appends to dst batch h with its records compressed with codec
// instead of h's own: the header fields stay (offsets, timestamps,
// producer, sequence, transactional and control bits), the codec bits and
// the CRC change. limit bounds h's decompressed size (see Limit). This is
// Kafka's broker-side compression.type when it differs from the producer's.
func Recompress(dst []byte, h Header, codec Codec, comp *Compressor, limit int64) ([]byte, error) {
	raw := h.Payload()
	if from := h.Codec(); from != None {
		var err error
		if raw, err = Decompress(nil, from, raw, limit); err != nil {
			return dst, fmt.Errorf("recompress %s batch as %s: %w", from, codec, err)
		}
	}
	f := Fields{
		BaseOffset: h.BaseOffset(), LeaderEpoch: h.LeaderEpoch(),
		Attributes:      h.Attributes()&^AttrCompression | int16(codec),
		LastOffsetDelta: h.LastOffsetDelta(), BaseTimestamp: h.BaseTimestamp(), MaxTimestamp: h.MaxTimestamp(),
		ProducerID: h.ProducerID(), ProducerEpoch: h.ProducerEpoch(), BaseSequence: h.BaseSequence(),
		RecordCount: h.RecordCount(),
	}
	start := len(dst)
	dst = AppendHeader(dst, f)
	if codec == None {
		dst = append(dst, raw...)
	} else {
		var err error
		if dst, err = comp.Append(dst, codec, raw, false); err != nil {
			return dst[:start], fmt.Errorf("recompress batch as %s: %w", codec, err)
		}
	}
	Header(dst[start:]).Finish()
	return dst, nil
}
