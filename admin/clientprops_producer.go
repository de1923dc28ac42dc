package admin

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/twmb/franz-go/pkg/kgo"
)

const serializerPackage = "org.apache.kafka.common.serialization."

// producerSettings are the producer properties applied when the producer
// is built, because they combine with its other settings.
type producerSettings struct {
	maxInFlight int // 0: franz-go's default
	gzipLevel   *int
	zstdLevel   *int
	partitioner string // "", "roundrobin" or "uniformsticky"
	ignoreKeys  bool
	notAdaptive bool
	maxBlockMs  *time.Duration
}

func producerRules() []propertyRule {
	return []propertyRule{
		honoured("acks", ScopeProducer, "kq produce --acks: 0, 1, all or -1 (kgo.RequiredAcks)", check(func(v string) error {
			_, err := ParseAcks(v)
			return err
		})),
		honoured("batch.size", ScopeProducer, "kq produce --batch-size: kgo.ProducerBatchMaxBytes", checkInt(0)),
		honoured("linger.ms", ScopeProducer, "kq produce --linger-ms: kgo.ProducerLinger", checkInt(0)),
		honoured("compression.type", ScopeProducer, "kq produce --compression: none, gzip, snappy, lz4 or zstd (kgo.ProducerBatchCompression)", check(func(v string) error {
			_, err := compressionCodec(strings.TrimSpace(v))
			return err
		})),
		honoured("compression.gzip.level", ScopeProducer, "the gzip level, 1 to 9 (CompressionCodec.WithLevel)", func(b *propertyBuilder, v string) error {
			n, err := parseLevel(v, 1, 9)
			b.cfg.producer.gzipLevel = n
			return err
		}),
		honoured("compression.zstd.level", ScopeProducer, "the zstd level, -131072 to 22, as the nearest franz-go zstd encoder level (CompressionCodec.WithLevel)", func(b *propertyBuilder, v string) error {
			n, err := parseLevel(v, -131072, 22)
			b.cfg.producer.zstdLevel = n
			return err
		}),
		honoured("delivery.timeout.ms", ScopeProducer, "kgo.RecordDeliveryTimeout (default 120000)", checkInt(0)),
		honoured("enable.idempotence", ScopeProducer, "kq produce --idempotence (with acks=all); false is kgo.DisableIdempotentWrite", check(func(v string) error {
			_, err := parseBool(v)
			return err
		})),
		honoured("max.in.flight.requests.per.connection", ScopeProducer, "kgo.MaxProduceRequestsInflightPerBroker without idempotence; with it at most 5 (Kafka's limit), and franz-go keeps up to 5 in flight in order", func(b *propertyBuilder, v string) error {
			n, err := parseInt32(v, 1)
			b.cfg.producer.maxInFlight = int(n)
			return err
		}),
		honoured("max.request.size", ScopeProducer, "the largest record kq produce reads (default 1048576); longer input fails", checkInt(1)),
		honoured("buffer.memory", ScopeProducer, "kgo.MaxBufferedBytes: produce blocks while this much is unacknowledged", int32Opt(ScopeProducer, 1, func(n int32) kgo.Opt { return kgo.MaxBufferedBytes(int(n)) })),
		honoured("transactional.id", ScopeProducer, "kq produce --transactional-id: kgo.TransactionalID", nil),
		honoured("transaction.timeout.ms", ScopeProducer, "kq produce --transaction-timeout-ms: kgo.TransactionTimeout", checkInt(1)),
		honoured("key.serializer", ScopeProducer, "kq writes the bytes it reads: ByteArraySerializer, BytesSerializer and StringSerializer (UTF-8) accepted, other classes refused", serializer("Serializer")),
		honoured("value.serializer", ScopeProducer, "as key.serializer", serializer("Serializer")),
		honoured("partitioner.class", ScopeProducer, "RoundRobinPartitioner (kgo.RoundRobinPartitioner) or UniformStickyPartitioner (keys ignored); other classes refused; unset: Kafka's built-in partitioner (kgo.UniformBytesPartitioner)", func(b *propertyBuilder, v string) error {
			p, err := partitionerClass(v)
			b.cfg.producer.partitioner = p
			return err
		}),
		honoured("partitioner.ignore.keys", ScopeProducer, "true spreads keyed records as keyless ones (kgo.UniformBytesPartitioner without key hashing)", func(b *propertyBuilder, v string) error {
			on, err := parseBool(v)
			b.cfg.producer.ignoreKeys = on
			return err
		}),
		honoured("partitioner.adaptive.partitioning.enable", ScopeProducer, "kgo.UniformBytesPartitioner's adaptive switch (default true)", func(b *propertyBuilder, v string) error {
			on, err := parseBool(v)
			b.cfg.producer.notAdaptive = !on
			return err
		}),
		honoured("partitioner.availability.timeout.ms", ScopeProducer, "0 only (Kafka's default): franz-go does not take partitions out of rotation by timeout",
			only("franz-go has no partition availability timeout", "0")),
		honoured("max.block.ms", ScopeProducer, "how long kq produce waits for the topics' metadata and for the transaction coordinator (default 60000)", func(b *propertyBuilder, v string) error {
			d, err := parseMillis(v)
			b.cfg.producer.maxBlockMs = &d
			return err
		}),
		refused("compression.lz4.level", ScopeProducer, "franz-go's lz4 levels do not match Kafka's; lz4 runs at its fastest level"),
		refused("metadata.max.idle.ms", ScopeProducer, "franz-go keeps metadata of every topic it produced to"),
	}
}

func checkInt(minimum int64) func(*propertyBuilder, string) error {
	return check(func(v string) error {
		_, err := parseInt32(v, minimum)
		return err
	})
}

func parseLevel(v string, lo, hi int64) (*int, error) {
	n, err := parseInt(v, lo)
	if err != nil || n > hi {
		return nil, fmt.Errorf("want a level from %d to %d, got %q", lo, hi, v)
	}
	level := int(n)
	return &level, nil
}

// serializer accepts the byte and string (de)serializers, whose output is
// what kq reads or writes anyway.
func serializer(suffix string) func(*propertyBuilder, string) error {
	accepted := []string{"ByteArray" + suffix, "Bytes" + suffix, "String" + suffix}
	return func(_ *propertyBuilder, v string) error {
		name := strings.TrimPrefix(strings.TrimSpace(v), serializerPackage)
		if slices.Contains(accepted, name) {
			return nil
		}
		return fmt.Errorf("%w: %q (kq reads and writes raw bytes: use %s%s)", ErrRefusedProperty, v, serializerPackage, accepted[0])
	}
}

func partitionerClass(v string) (string, error) {
	const pkg = "org.apache.kafka.clients.producer."
	switch strings.TrimSpace(v) {
	case "":
		return "", nil
	case pkg + "RoundRobinPartitioner":
		return "roundrobin", nil
	case pkg + "UniformStickyPartitioner":
		return "uniformsticky", nil
	}
	return "", fmt.Errorf("%w: %q (kq cannot load Java classes; leave it unset for Kafka's built-in partitioner)", ErrRefusedProperty, v)
}

func (ps producerSettings) maxBlock() time.Duration {
	if ps.maxBlockMs != nil {
		return *ps.maxBlockMs
	}
	return MaxBlock
}

// withLevel sets the codec's level from compression.gzip.level or
// compression.zstd.level.
func (ps producerSettings) withLevel(codec kgo.CompressionCodec, name string) kgo.CompressionCodec {
	switch {
	case strings.EqualFold(name, "gzip") && ps.gzipLevel != nil:
		return codec.WithLevel(*ps.gzipLevel)
	case strings.EqualFold(name, "zstd") && ps.zstdLevel != nil:
		return codec.WithLevel(int(zstd.EncoderLevelFromZstd(*ps.zstdLevel)))
	}
	return codec
}

// fallbackPartitioner is the partitioner of records without an explicit
// partition: Kafka's built-in one (KIP-794, kgo's default arguments: switch
// partition every 64 KiB, adaptively, hashing keys) as the partitioner.*
// properties adjust it.
func (ps producerSettings) fallbackPartitioner() kgo.Partitioner {
	switch ps.partitioner {
	case "roundrobin":
		return kgo.RoundRobinPartitioner()
	case "uniformsticky":
		return kgo.UniformBytesPartitioner(64<<10, !ps.notAdaptive, false, nil)
	}
	return kgo.UniformBytesPartitioner(64<<10, !ps.notAdaptive, !ps.ignoreKeys, nil)
}

// maxIdempotentInFlight is Kafka's limit on in-flight requests of an
// idempotent producer.
const maxIdempotentInFlight = 5

func (ps producerSettings) inFlightOpts(idempotent bool) ([]kgo.Opt, error) {
	switch {
	case ps.maxInFlight == 0:
		return nil, nil
	case idempotent && ps.maxInFlight > maxIdempotentInFlight:
		return nil, &ConfigError{Err: &PropertyError{Key: "max.in.flight.requests.per.connection",
			Err: fmt.Errorf("must be at most %d with idempotence (enable.idempotence=true and acks=all), as in Kafka", maxIdempotentInFlight)}}
	case idempotent:
		return nil, nil // franz-go keeps up to 5 in flight, in order
	}
	return []kgo.Opt{kgo.MaxProduceRequestsInflightPerBroker(ps.maxInFlight)}, nil
}
