package produce

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/spf13/pflag"
)

// DefaultMaxRequestSize is Kafka's max.request.size: the largest line (and
// so record) kq produce reads.
const DefaultMaxRequestSize = 1 << 20

// producerFlags are the flag values before merging with client properties.
type producerFlags struct {
	acks        string
	compression string
	batchSize   int
	lingerMs    int
	idempotence bool
	// transactionalID and transactionTimeoutMs make the producer
	// transactional (txn.go).
	transactionalID      string
	transactionTimeoutMs int
}

// setting is one producer setting: the flag when given, else the client
// property, else Kafka's default.
func setting(fl *pflag.FlagSet, flagName, flagValue string, props map[string]string, prop, def string) string {
	if flagName != "" && fl.Changed(flagName) {
		return flagValue
	}
	if v := strings.TrimSpace(props[prop]); v != "" {
		return v
	}
	return def
}

func intSetting(fl *pflag.FlagSet, flagName string, flagValue int, props map[string]string, prop string, def int) (int, error) {
	raw := setting(fl, flagName, strconv.Itoa(flagValue), props, prop, strconv.Itoa(def))
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: want a non-negative integer, got %q", prop, raw)
	}
	return n, nil
}

// producerConfig merges flags with the client properties (-X,
// --command-config, profile) and returns the producer's config and the
// longest record to read.
func producerConfig(fl *pflag.FlagSet, pf producerFlags, props map[string]string) (admin.ProducerConfig, int, error) {
	var pc admin.ProducerConfig
	var err error
	if pc.Acks, err = admin.ParseAcks(setting(fl, "acks", pf.acks, props, "acks", "all")); err != nil {
		return pc, 0, err
	}
	pc.Compression = setting(fl, "compression", pf.compression, props, "compression.type", "none")
	pc.Idempotent = setting(fl, "idempotence", strconv.FormatBool(pf.idempotence), props, "enable.idempotence", "true") == "true"
	pc.AllowAutoTopicCreation = true // the broker's auto.create.topics.enable decides
	batch, err := intSetting(fl, "batch-size", pf.batchSize, props, "batch.size", 0)
	if err != nil {
		return pc, 0, err
	}
	linger, err := intSetting(fl, "linger-ms", pf.lingerMs, props, "linger.ms", 0)
	if err != nil {
		return pc, 0, err
	}
	delivery, err := intSetting(fl, "", 0, props, "delivery.timeout.ms", int(admin.DefaultDeliveryTimeout/time.Millisecond))
	if err != nil {
		return pc, 0, err
	}
	maxSize, err := intSetting(fl, "", 0, props, "max.request.size", DefaultMaxRequestSize)
	if err != nil {
		return pc, 0, err
	}
	pc.BatchMaxBytes = int32(batch)
	pc.Linger = time.Duration(linger) * time.Millisecond
	pc.DeliveryTimeout = time.Duration(delivery) * time.Millisecond
	if err := transactionalConfig(&pc, fl, pf, props); err != nil {
		return pc, 0, err
	}
	return pc, maxSize, nil
}
