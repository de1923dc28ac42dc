package partitionlog

import (
	"math"
	"time"
)

// CleanerOptions are the broker's log.cleaner.* settings. Zero fields take
// Kafka's defaults.
type CleanerOptions struct {
	Disabled         bool          // !log.cleaner.enable
	Threads          int           // log.cleaner.threads; default 1
	Backoff          time.Duration // log.cleaner.backoff.ms: pause when no log needs cleaning; default 15 s
	DedupeBufferSize int64         // log.cleaner.dedupe.buffer.size over all threads; default 128 MiB
	IOBufferSize     int64         // log.cleaner.io.buffer.size over all threads; default 512 KiB
	LoadFactor       float64       // log.cleaner.io.buffer.load.factor; default 0.9
	// MaxIOBytesPerSecond is log.cleaner.io.max.bytes.per.second over all
	// threads (reads plus writes); 0, +Inf or Kafka's default (the largest
	// float64) means unlimited.
	MaxIOBytesPerSecond float64
}

func (o CleanerOptions) withDefaults() CleanerOptions {
	o.Threads = max(o.Threads, 1)
	setDuration(&o.Backoff, 15*time.Second)
	setDefault(&o.DedupeBufferSize, 128<<20)
	setDefault(&o.IOBufferSize, 512<<10)
	if o.LoadFactor <= 0 {
		o.LoadFactor = 0.9
	}
	// The map must keep empty slots for its probes to end.
	o.LoadFactor = min(o.LoadFactor, 0.95)
	if o.MaxIOBytesPerSecond <= 0 || o.MaxIOBytesPerSecond >= math.MaxFloat64 {
		// Kafka's default is Double.MAX_VALUE: no throttling, and no
		// accounting either.
		o.MaxIOBytesPerSecond = math.Inf(1)
	}
	return o
}
