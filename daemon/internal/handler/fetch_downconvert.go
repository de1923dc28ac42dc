package handler

import (
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/msgset"
	"github.com/kqhq/kq/store/recordbatch"
)

// Fetch v0-3 predate record batches: their clients read legacy message sets
// only, magic 0 for v0-1 and magic 1 for v2-3. As Kafka, kq down-converts
// what the log read returned (see package msgset): these versions read the
// region into memory instead of sending it with sendfile.
//
// Limits follow the versions: v0-2 treat partition_max_bytes as a hard
// limit, so a first message larger than it goes out cut at the limit, the
// partial message by which those clients learn to raise their fetch size
// (Kafka sends the same); v3 (KIP-74) sends the response's first message
// whole whatever its size and otherwise stops before a message that would
// pass partition_max_bytes or the request's max_bytes. No other message is
// ever cut.
//
// message.downconversion.enable=false answers UNSUPPORTED_VERSION instead.

// downconvertDecompressedLimit bounds what one stored batch may inflate to,
// the log's own bound for reading stored batches.
const downconvertDecompressedLimit = recordbatch.StoredLimit

// downconverter converts one response's partitions, in response order.
type downconverter struct {
	h         *Handler
	magic     int8
	hardLimit bool  // v0-2
	remaining int64 // of the request's max_bytes (v3)
	written   bool  // a message is in the response already
}

// downconverter returns nil from v4, where the log's bytes go out as they are.
func (p fetchPlan) downconverter(body *kmsg.FetchRequest) *downconverter {
	if body.Version >= 4 {
		return nil
	}
	c := &downconverter{h: p.h, magic: 1, hardLimit: body.Version <= 2, remaining: 1<<31 - 1}
	if body.Version == 3 && body.MaxBytes > 0 {
		c.remaining = int64(body.MaxBytes)
	}
	if body.Version <= 1 {
		c.magic = 0
	}
	return c
}

func (c *downconverter) fill(rp *kmsg.FetchResponseTopicPartition, pp plannedPartition, pr partitionRead) {
	// Empty, never null, records with an error too, as Kafka: old clients
	// (sarama) cannot decode a null message set.
	defer func() {
		if rp.RecordBatches == nil {
			rp.RecordBatches = []byte{}
		}
	}()
	if !fillFetchOffsets(rp, pr) || pr.errCode != 0 {
		return
	}
	if !c.h.downconversionEnabled(pp.topic) {
		rp.ErrorCode = kerr.UnsupportedVersion.Code
		rp.HighWatermark, rp.LastStableOffset, rp.LogStartOffset, rp.RecordBatches = -1, -1, -1, nil
		return
	}
	if pr.res.Data.Len == 0 {
		return
	}
	out, err := c.convert(pp, pr)
	if err != nil {
		rp.ErrorCode = kafkaerr.Code(err)
		c.h.log.Error("fetch down-conversion failed", "topic", pp.topic, "partition", pp.req.Partition, "err", err)
		return
	}
	rp.RecordBatches = out
}

func (c *downconverter) convert(pp plannedPartition, pr partitionRead) ([]byte, error) {
	raw, err := pr.res.Data.Bytes()
	if err != nil {
		return nil, err
	}
	limit := max(min(int64(pp.req.PartitionMaxBytes), c.remaining), 0)
	out, err := msgset.Downconvert(nil, raw, msgset.DownOptions{
		Magic: c.magic, FromOffset: pp.req.FetchOffset, MaxBytes: int(limit),
		MinOne: c.hardLimit || !c.written, MaxDecompressed: downconvertDecompressedLimit,
	})
	if err != nil {
		return nil, conversionError(err)
	}
	if c.hardLimit && int64(len(out)) > limit {
		out = out[:limit]
	}
	c.remaining -= int64(len(out))
	c.written = c.written || len(out) > 0
	return out, nil
}

// downconversionConfig is implemented by Configs that know a topic's
// message.downconversion.enable.
type downconversionConfig interface {
	MessageDownconversionEnable(topic string) bool
}

// downconversionEnabled is message.downconversion.enable for a topic; on,
// Kafka's default, when the configs cannot tell.
func (h *Handler) downconversionEnabled(topic string) bool {
	dc, ok := h.deps.Configs.(downconversionConfig)
	return !ok || dc.MessageDownconversionEnable(topic)
}
