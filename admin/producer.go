package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Acks is how many replicas must have a record before the broker answers;
// values are Kafka's.
type Acks int16

// The three acks settings.
const (
	AcksNone   Acks = 0  // fire and forget
	AcksLeader Acks = 1  // the leader wrote it
	AcksAll    Acks = -1 // every in-sync replica has it
)

// ParseAcks reads "0", "1", "all" or "-1".
func ParseAcks(s string) (Acks, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "0":
		return AcksNone, nil
	case "1":
		return AcksLeader, nil
	case "all", "-1":
		return AcksAll, nil
	}
	return 0, fmt.Errorf("invalid acks %q (want 0, 1 or all)", s)
}

// DefaultDeliveryTimeout is Kafka's delivery.timeout.ms default: how long a
// record may wait, retries included, before it fails.
const DefaultDeliveryTimeout = 2 * time.Minute

// ProducerConfig tunes a Producer. The zero value is acks=0 without
// idempotence; callers normally start from Kafka's defaults: AcksAll and
// Idempotent.
type ProducerConfig struct {
	Acks Acks
	// Idempotent asks for idempotent writes; it only applies with AcksAll.
	Idempotent bool
	// Compression is none, gzip, snappy, lz4 or zstd ("" is none).
	Compression string
	// BatchMaxBytes caps one partition's record batch (0: kgo's default,
	// 1000012); a record bigger than it fails with MESSAGE_TOO_LARGE.
	BatchMaxBytes int32
	Linger        time.Duration
	// DeliveryTimeout fails a record not acknowledged in time (0:
	// DefaultDeliveryTimeout).
	DeliveryTimeout time.Duration
	// AllowAutoTopicCreation lets the broker create a missing topic on
	// first use, if its auto.create.topics.enable allows it.
	AllowAutoTopicCreation bool
	// TransactionalID makes the producer transactional (it needs AcksAll
	// and idempotence); see BeginTransaction. TransactionTimeout is
	// transaction.timeout.ms (0: Kafka's default, 1 minute).
	TransactionalID    string
	TransactionTimeout time.Duration
	// MaxBufferedRecords is how many records the producer holds before
	// Produce blocks (0: the client's default, 50,000).
	MaxBufferedRecords int
}

// CompressionCodecs are the names ProducerConfig.Compression accepts.
var CompressionCodecs = []string{"none", "gzip", "snappy", "lz4", "zstd"}

func compressionCodec(name string) (kgo.CompressionCodec, error) {
	switch strings.ToLower(name) {
	case "", "none":
		return kgo.NoCompression(), nil
	case "gzip":
		return kgo.GzipCompression(), nil
	case "snappy":
		return kgo.SnappyCompression(), nil
	case "lz4":
		return kgo.Lz4Compression(), nil
	case "zstd":
		return kgo.ZstdCompression(), nil
	}
	return kgo.CompressionCodec{}, fmt.Errorf("unknown compression %q (want one of %s)", name, strings.Join(CompressionCodecs, ", "))
}

func (pc ProducerConfig) kgoOpts(ps producerSettings) ([]kgo.Opt, error) {
	codec, err := compressionCodec(pc.Compression)
	if err != nil {
		return nil, err
	}
	codec = ps.withLevel(codec, pc.Compression)
	delivery := pc.DeliveryTimeout
	if delivery <= 0 {
		delivery = DefaultDeliveryTimeout
	}
	opts := []kgo.Opt{
		kgo.RequiredAcks(kgoAcks(pc.Acks)),
		kgo.ProducerBatchCompression(codec),
		kgo.ProducerLinger(pc.Linger),
		kgo.RecordDeliveryTimeout(delivery),
		kgo.RecordPartitioner(newExplicitOrDefault(ps.fallbackPartitioner())),
	}
	idempotent := pc.Acks == AcksAll && pc.Idempotent
	if !idempotent {
		opts = append(opts, kgo.DisableIdempotentWrite())
	}
	inflight, err := ps.inFlightOpts(idempotent)
	if err != nil {
		return nil, err
	}
	opts = append(opts, inflight...)
	opts = append(opts, pc.transactionalOpts()...)
	if pc.BatchMaxBytes > 0 {
		opts = append(opts, kgo.ProducerBatchMaxBytes(pc.BatchMaxBytes))
	}
	if pc.MaxBufferedRecords > 0 {
		opts = append(opts, kgo.MaxBufferedRecords(pc.MaxBufferedRecords))
	}
	if pc.AllowAutoTopicCreation {
		opts = append(opts, kgo.AllowAutoTopicCreation())
	}
	return opts, nil
}

func kgoAcks(a Acks) kgo.Acks {
	switch a {
	case AcksNone:
		return kgo.NoAck()
	case AcksLeader:
		return kgo.LeaderAck()
	}
	return kgo.AllISRAcks()
}

// Producer sends records asynchronously. Safe for concurrent use.
type Producer struct {
	cl         *kgo.Client
	autoCreate bool
	timeout    time.Duration
	sent       sync.Pool     // of *sentRecord (SendValue)
	maxBlock   time.Duration // max.block.ms: how long waits for metadata and the coordinator may last
}

// NewProducer builds a Producer; it does not contact the cluster.
func NewProducer(cc ClientConfig, pc ProducerConfig) (*Producer, error) {
	popts, err := pc.kgoOpts(cc.producer)
	if err != nil {
		return nil, fmt.Errorf("new producer: %w", err)
	}
	// Property options first, so the command's own settings (its flags)
	// win where both speak.
	opts := append(cc.kgoOpts(), cc.scopeOpts[ScopeProducer]...)
	cl, err := kgo.NewClient(append(opts, popts...)...)
	if err != nil {
		return nil, fmt.Errorf("new producer: %w", err)
	}
	return &Producer{cl: cl, autoCreate: pc.AllowAutoTopicCreation, timeout: cc.requestTimeout(),
		maxBlock: cc.producer.maxBlock()}, nil
}

// Prepare reaches the cluster and checks that topics exist (or may be
// auto-created), so a wrong address or topic fails before any input is read
// rather than after records time out.
func (p *Producer) Prepare(ctx context.Context, topics ...string) error {
	wait := p.timeout
	if p.maxBlock != MaxBlock {
		wait = p.maxBlock // max.block.ms given: Kafka's send() waits this long for metadata
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	req := kmsg.NewPtrMetadataRequest()
	req.AllowAutoTopicCreation = p.autoCreate
	req.Topics = []kmsg.MetadataRequestTopic{}
	for _, name := range topics {
		t := kmsg.NewMetadataRequestTopic()
		t.Topic = kmsg.StringPtr(name)
		req.Topics = append(req.Topics, t)
	}
	resp, err := req.RequestWith(ctx, p.cl)
	if err != nil {
		return fmt.Errorf("reach cluster: %w", err)
	}
	for _, t := range resp.Topics {
		err := kerr.ErrorForCode(t.ErrorCode)
		// A topic being auto-created has no leader for a moment; the
		// producer waits for it.
		if err != nil && !errors.Is(err, kerr.LeaderNotAvailable) {
			return fmt.Errorf("topic %s: %w", deref(t.Topic), err)
		}
	}
	return nil
}

// Produce queues rec. done is called once, from another goroutine, with
// the record as written (partition and offset set) or the error. Produce
// blocks while too many records are buffered.
func (p *Producer) Produce(ctx context.Context, rec Record, done func(Record, error)) {
	p.cl.Produce(ctx, rec.toKgo(), func(kr *kgo.Record, err error) {
		done(recordFromKgo(kr), err)
	})
}

// Flush waits until every queued record is acknowledged or failed.
func (p *Producer) Flush(ctx context.Context) error { return p.cl.Flush(ctx) }

// Close flushes nothing: call Flush first. Records still queued fail.
func (p *Producer) Close() { p.cl.Close() }
