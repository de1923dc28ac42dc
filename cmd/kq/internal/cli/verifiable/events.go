// Package verifiable is `kq verifiable-producer` and `kq
// verifiable-consumer`: Kafka's VerifiableProducer and VerifiableConsumer,
// the clients Kafka's system tests drive. Each prints one JSON event per
// line, with Kafka's names and field order, so the tests' parsers read
// kq's output as they read Kafka's.
package verifiable

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
)

// printer writes events as lines; safe for concurrent use (client
// callbacks run on other goroutines).
type printer struct {
	mu  sync.Mutex
	out io.Writer
	now func() time.Time
}

// event is the head every event starts with.
type event struct {
	Timestamp int64  `json:"timestamp"`
	Name      string `json:"name"`
}

func (p *printer) head(name string) event { return event{Timestamp: p.now().UnixMilli(), Name: name} }

// print writes v on one line, as Jackson's writeValueAsString.
func (p *printer) print(v any) {
	b, err := json.Marshal(v)
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		fmt.Fprintf(p.out, "Bad data can't be written as json: %v\n", err)
		return
	}
	fmt.Fprintf(p.out, "%s\n", b)
}

// The producer's events.
type sendSuccess struct {
	event
	Key       *string `json:"key"`
	Value     string  `json:"value"`
	Topic     string  `json:"topic"`
	Partition int32   `json:"partition"`
	Offset    int64   `json:"offset"`
}

type sendError struct {
	event
	Topic     string  `json:"topic"`
	Key       *string `json:"key"`
	Value     string  `json:"value"`
	Exception string  `json:"exception"`
	Message   string  `json:"message"`
}

type toolData struct {
	event
	Sent             int64   `json:"sent"`
	Acked            int64   `json:"acked"`
	TargetThroughput int64   `json:"target_throughput"`
	AvgThroughput    float64 `json:"avg_throughput"`
}

// The consumer's events.
type partition struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
}

type partitionsEvent struct {
	event
	Partitions []partition `json:"partitions"`
}

type recordsConsumed struct {
	event
	Count      int64        `json:"count"`
	Partitions []setSummary `json:"partitions"`
}

type setSummary struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Count     int64  `json:"count"`
	MinOffset int64  `json:"minOffset"`
	MaxOffset int64  `json:"maxOffset"`
}

type recordData struct {
	event
	Key       *string `json:"key"`
	Value     *string `json:"value"`
	Topic     string  `json:"topic"`
	Partition int32   `json:"partition"`
	Offset    int64   `json:"offset"`
}

type offsetsCommitted struct {
	event
	Offsets []commitData `json:"offsets"`
	Error   *string      `json:"error,omitempty"`
	Success bool         `json:"success"`
}

type commitData struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
}
