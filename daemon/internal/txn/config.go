package txn

import "time"

// Config holds the broker settings the coordinator follows
// (transaction.* and transactional.id.* in server.properties).
type Config struct {
	// Partitions is transaction.state.log.num.partitions: how many
	// partitions of __transaction_state transactional ids are spread over.
	Partitions int32
	// MaxTimeout is transaction.max.timeout.ms: the longest transaction
	// timeout a producer may ask for.
	MaxTimeout time.Duration
	// AbortTimedOutInterval is
	// transaction.abort.timed.out.transaction.cleanup.interval.ms: how
	// often transactions open longer than their timeout are aborted.
	AbortTimedOutInterval time.Duration
	// RemoveExpiredInterval is
	// transaction.remove.expired.transaction.cleanup.interval.ms: how often
	// idle transactional ids are looked for.
	RemoveExpiredInterval time.Duration
	// IDExpiration is transactional.id.expiration.ms: a transactional id
	// with no transaction for this long is forgotten.
	IDExpiration time.Duration
	// LoadBufferBytes is transaction.state.log.load.buffer.size: how much
	// of a partition one read takes while loading.
	LoadBufferBytes int32
}

// DefaultConfig is Kafka 3.9's defaults.
func DefaultConfig() Config {
	return Config{
		Partitions:            50,
		MaxTimeout:            15 * time.Minute,
		AbortTimedOutInterval: 10 * time.Second,
		RemoveExpiredInterval: time.Hour,
		IDExpiration:          7 * 24 * time.Hour,
		LoadBufferBytes:       5 << 20,
	}
}

// withDefaults fills in what a zero Config leaves unset.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Partitions <= 0 {
		c.Partitions = d.Partitions
	}
	if c.MaxTimeout <= 0 {
		c.MaxTimeout = d.MaxTimeout
	}
	if c.AbortTimedOutInterval <= 0 {
		c.AbortTimedOutInterval = d.AbortTimedOutInterval
	}
	if c.RemoveExpiredInterval <= 0 {
		c.RemoveExpiredInterval = d.RemoveExpiredInterval
	}
	if c.IDExpiration <= 0 {
		c.IDExpiration = d.IDExpiration
	}
	if c.LoadBufferBytes <= 0 {
		c.LoadBufferBytes = d.LoadBufferBytes
	}
	return c
}
