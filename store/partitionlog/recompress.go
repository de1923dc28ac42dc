package partitionlog

import (
	"fmt"
	"sync"

	"github.com/kqhq/kq/store/recordbatch"
)

// compressors are reused across appends: a Compressor keeps its encoders,
// and is not safe for concurrent use, while appends prepare concurrently.
var compressors = sync.Pool{New: func() any { return new(recordbatch.Compressor) }}

// recompress returns records with every data batch whose codec is not
// cfg.Compression rewritten with it (Kafka's compression.type other than
// "producer"), or records itself when none needs it. Control batches are
// left as written. The caller validates the result again.
func recompress(records []byte, infos []batchInfo, cfg Config) ([]byte, bool, error) {
	if !cfg.Recompress || !needsRecompression(records, infos, cfg.Compression) {
		return records, false, nil
	}
	comp := compressors.Get().(*recordbatch.Compressor)
	defer compressors.Put(comp)
	limit := recordbatch.Limit(cfg.MaxMessageBytes)
	out := make([]byte, 0, len(records))
	for _, b := range infos {
		h := header(records[b.pos : b.pos+b.size])
		if h.Control() || h.Codec() == cfg.Compression {
			out = append(out, h...)
			continue
		}
		var err error
		if out, err = recordbatch.Recompress(out, h, cfg.Compression, comp, limit); err != nil {
			return nil, false, fmt.Errorf("compression.type %s: %w", cfg.Compression, err)
		}
	}
	return out, true, nil
}

func needsRecompression(records []byte, infos []batchInfo, codec recordbatch.Codec) bool {
	for _, b := range infos {
		if h := header(records[b.pos : b.pos+b.size]); !h.Control() && h.Codec() != codec {
			return true
		}
	}
	return false
}
