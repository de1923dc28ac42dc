package verifiable

import (
	"fmt"
	"strconv"
	"time"

	"github.com/kqhq/kq/admin"
)

// producerConfig is VerifiableProducer's producer: --acks, then the
// --producer.config file on top (Kafka loads the file after setting acks),
// never idempotent (Kafka sets retries=0, which turns idempotence off).
// kq's producer retries a failed send until delivery.timeout.ms; a record
// is reported failed only then.
func producerConfig(acks admin.Acks, props map[string]string) (admin.ProducerConfig, error) {
	pc := admin.ProducerConfig{Acks: acks, DeliveryTimeout: admin.DefaultDeliveryTimeout, Compression: props["compression.type"]}
	if s, ok := props["acks"]; ok {
		a, err := admin.ParseAcks(s)
		if err != nil {
			return pc, fmt.Errorf("acks: %w", err)
		}
		pc.Acks = a
	}
	for key, set := range map[string]func(int64){
		"linger.ms":           func(v int64) { pc.Linger = time.Duration(v) * time.Millisecond },
		"batch.size":          func(v int64) { pc.BatchMaxBytes = int32(v) },
		"delivery.timeout.ms": func(v int64) { pc.DeliveryTimeout = time.Duration(v) * time.Millisecond },
	} {
		s, ok := props[key]
		if !ok {
			continue
		}
		v, err := strconv.ParseInt(s, 10, 32)
		if err != nil || v < 0 {
			return pc, fmt.Errorf("%s: %q is not a non-negative integer", key, s)
		}
		set(v)
	}
	return pc, nil
}
