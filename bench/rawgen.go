package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// The raw load generator speaks the wire protocol itself (kmsg encodes
// every request) with none of a client's per-record work: each partition's
// batches are built and checksummed once, then sent again and again, up
// to rawInFlight produce requests in flight on one connection as a
// producer's max.in.flight allows. It costs the machine almost nothing
// beyond the socket copies, so on two shared cores it measures what the
// broker can take, where `kq perf` (franz-go) measures what one client
// gets. Fetches are sequential on one connection, as a consumer's.

const (
	rawBatchBytes      = 1_000_012 // franz-go's and kq perf's producer batch.size
	rawInFlight        = 5         // max.in.flight.requests.per.connection
	rawProduceVersion  = 7         // the last produce version before flexible encoding
	rawFetchVersion    = 11        // likewise for fetch
	rawPartitionFetch  = 1 << 20   // max.partition.fetch.bytes, Kafka's default
	rawFetchMaxBytes   = 50 << 20  // fetch.max.bytes, Kafka's default
	rawDistinctBatches = 4         // per partition, so values are not all one buffer
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// rawConn is one connection with kmsg framing.
type rawConn struct {
	conn net.Conn
	r    *bufio.Reader
	fmt  *kmsg.RequestFormatter
	buf  []byte // the request being sent
	rbuf []byte // the response being read
}

func dialRaw(ctx context.Context, addr string) (*rawConn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	return &rawConn{conn: c, r: bufio.NewReaderSize(c, 1<<20), fmt: kmsg.NewRequestFormatter(kmsg.FormatterClientID("kq-bench-raw"))}, nil
}

func (c *rawConn) send(req kmsg.Request, correlation int32) error {
	c.buf = c.fmt.AppendRequest(c.buf[:0], req, correlation)
	if _, err := c.conn.Write(c.buf); err != nil {
		return fmt.Errorf("write %s: %w", kmsg.NameForKey(req.Key()), err)
	}
	return nil
}

// receive reads one response frame into the connection's buffer and
// returns its body after the (non-flexible) header, checking the
// correlation id. The body is valid until the next receive. The buffer
// grows to the largest response and stays: a fresh buffer per response
// cost as much CPU in zeroing as the socket read.
func (c *rawConn) receive(correlation int32) ([]byte, error) {
	var size [4]byte
	if _, err := io.ReadFull(c.r, size[:]); err != nil {
		return nil, fmt.Errorf("read response size: %w", err)
	}
	n := int(binary.BigEndian.Uint32(size[:]))
	if n < 4 || n > 256<<20 {
		return nil, fmt.Errorf("response of %d bytes", n)
	}
	if cap(c.rbuf) < n {
		c.rbuf = make([]byte, n+n/4)
	}
	into := c.rbuf[:n]
	if _, err := io.ReadFull(c.r, into); err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	if got := int32(binary.BigEndian.Uint32(into)); got != correlation {
		return nil, fmt.Errorf("correlation id %d, want %d", got, correlation)
	}
	return into[4:], nil
}

// rawBatches builds count distinct uncompressed batches for one
// partition, each as many records of size bytes as fit rawBatchBytes.
func rawBatches(size, count int, rng *rand.Rand) (batches [][]byte, records int) {
	perBatch := max(1, rawBatchBytes/(size+16))
	value := make([]byte, size)
	now := time.Now().UnixMilli()
	for range count {
		var payload []byte
		for i := range perBatch {
			for j := range value {
				value[j] = byte('a' + rng.IntN(26)) // printable, as kq perf's
			}
			r := kmsg.Record{OffsetDelta: int32(i), Value: value}
			payload = appendRecord(payload, &r)
		}
		b := kmsg.RecordBatch{
			FirstOffset: 0, PartitionLeaderEpoch: -1, Magic: 2,
			LastOffsetDelta: int32(perBatch - 1), FirstTimestamp: now, MaxTimestamp: now,
			ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1,
			NumRecords: int32(perBatch), Records: payload,
		}
		raw := b.AppendTo(nil)
		binary.BigEndian.PutUint32(raw[8:], uint32(len(raw)-12))                   // batch length
		binary.BigEndian.PutUint32(raw[17:], crc32.Checksum(raw[21:], castagnoli)) // CRC-32C from attributes on
		batches = append(batches, raw)
	}
	return batches, perBatch
}

// appendRecord encodes r with its length computed: kmsg writes the
// Length field as given.
func appendRecord(dst []byte, r *kmsg.Record) []byte {
	r.Length = 0
	body := r.AppendTo(nil)[1:] // Length 0 is the one-byte varint 0
	r.Length = int32(len(body))
	return r.AppendTo(dst)
}

// rawResult is one raw run's outcome.
type rawResult struct {
	records int64
	elapsed time.Duration
	cpu     float64 // this process's CPU-seconds during the run
}

// rawProduce sends at least total bytes of values to every partition of
// topic in turn, acks=all, and returns when every request was answered.
func rawProduce(ctx context.Context, addr, topic string, partitions, size int, total int64) (rawResult, error) {
	c, err := dialRaw(ctx, addr)
	if err != nil {
		return rawResult{}, err
	}
	defer c.conn.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	batches := make([][][]byte, partitions)
	perBatch := 0
	for p := range partitions {
		batches[p], perBatch = rawBatches(size, rawDistinctBatches, rng)
	}
	perRequest := int64(perBatch * partitions)
	requests := int((total/int64(size) + perRequest - 1) / perRequest)

	cpu0 := selfCPU()
	start := time.Now()
	slots := make(chan struct{}, rawInFlight)
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // answers, in order
		defer wg.Done()
		errc <- readProduceAnswers(c, requests, slots)
	}()
	sendErr := sendProduces(ctx, c, topic, batches, requests, slots)
	if sendErr != nil {
		c.conn.Close() // unblocks the reader
	}
	wg.Wait()
	if err := errors.Join(sendErr, <-errc); err != nil {
		return rawResult{}, err
	}
	return rawResult{records: int64(requests) * perRequest, elapsed: time.Since(start), cpu: selfCPU() - cpu0}, nil
}

func sendProduces(ctx context.Context, c *rawConn, topic string, batches [][][]byte, requests int, slots chan struct{}) error {
	for i := range requests {
		req := kmsg.NewPtrProduceRequest()
		req.Version, req.Acks, req.TimeoutMillis = rawProduceVersion, -1, 30000
		t := kmsg.NewProduceRequestTopic()
		t.Topic = topic
		for p, bs := range batches {
			pr := kmsg.NewProduceRequestTopicPartition()
			pr.Partition, pr.Records = int32(p), bs[i%len(bs)]
			t.Partitions = append(t.Partitions, pr)
		}
		req.Topics = append(req.Topics, t)
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := c.send(req, int32(i)); err != nil {
			return err
		}
	}
	return nil
}

func readProduceAnswers(c *rawConn, requests int, slots chan struct{}) error {
	for i := range requests {
		body, err := c.receive(int32(i))
		if err != nil {
			return err
		}
		resp := kmsg.NewPtrProduceResponse()
		resp.Version = rawProduceVersion
		if err := resp.ReadFrom(body); err != nil {
			return fmt.Errorf("decode produce response: %w", err)
		}
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if p.ErrorCode != 0 {
					return fmt.Errorf("produce to %s-%d: error code %d", t.Topic, p.Partition, p.ErrorCode)
				}
			}
		}
		<-slots
	}
	return nil
}

// rawConsume fetches every partition of topic from offset 0 until want
// records were read (the produce put an equal share in each partition):
// consumers connections, each fetching every consumers-th partition with
// one fetch in flight, as the members of one group would.
func rawConsume(ctx context.Context, addr, topic string, partitions, consumers int, want int64) (rawResult, error) {
	consumers = max(1, min(consumers, partitions))
	got := make([]int64, consumers)
	errs := make([]error, consumers)
	cpu0 := selfCPU()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range consumers {
		var parts []int32
		for p := i; p < partitions; p += consumers {
			parts = append(parts, int32(p))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = consumeShare(ctx, addr, topic, parts, partitions, want/int64(partitions)*int64(len(parts)))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return rawResult{}, err
	}
	var total int64
	for _, n := range got {
		total += n
	}
	return rawResult{records: total, elapsed: time.Since(start), cpu: selfCPU() - cpu0}, nil
}

// consumeShare is one consumer: it fetches parts on its own connection
// until want records were read.
func consumeShare(ctx context.Context, addr, topic string, parts []int32, partitions int, want int64) (int64, error) {
	c, err := dialRaw(ctx, addr)
	if err != nil {
		return 0, err
	}
	defer c.conn.Close()
	offsets := make([]int64, partitions) // by partition; only parts are fetched
	var got int64
	for i := int32(0); got < want; i++ {
		if ctx.Err() != nil {
			return got, ctx.Err()
		}
		if err := c.send(fetchRequest(topic, parts, offsets), i); err != nil {
			return got, err
		}
		body, err := c.receive(i)
		if err != nil {
			return got, err
		}
		n, err := readFetch(body, offsets)
		if err != nil {
			return got, err
		}
		got += n
	}
	return got, nil
}

func fetchRequest(topic string, parts []int32, offsets []int64) *kmsg.FetchRequest {
	req := kmsg.NewPtrFetchRequest()
	req.Version, req.ReplicaID, req.MaxWaitMillis, req.MinBytes, req.MaxBytes = rawFetchVersion, -1, 500, 1, rawFetchMaxBytes
	req.SessionEpoch = -1 // no fetch session
	t := kmsg.NewFetchRequestTopic()
	t.Topic = topic
	for _, p := range parts {
		fp := kmsg.NewFetchRequestTopicPartition()
		fp.Partition, fp.FetchOffset, fp.PartitionMaxBytes, fp.LogStartOffset = p, offsets[p], rawPartitionFetch, -1
		fp.CurrentLeaderEpoch = -1
		t.Partitions = append(t.Partitions, fp)
	}
	req.Topics = append(req.Topics, t)
	return req
}

// readFetch decodes a fetch response, advances offsets past every whole
// batch returned and counts their records, as a consumer that only counts.
func readFetch(body []byte, offsets []int64) (int64, error) {
	resp := kmsg.NewPtrFetchResponse()
	resp.Version = rawFetchVersion
	if err := resp.ReadFrom(body); err != nil {
		return 0, fmt.Errorf("decode fetch response: %w", err)
	}
	if resp.ErrorCode != 0 {
		return 0, fmt.Errorf("fetch: error code %d", resp.ErrorCode)
	}
	var n int64
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			if p.ErrorCode != 0 {
				return 0, fmt.Errorf("fetch %s-%d: error code %d", t.Topic, p.Partition, p.ErrorCode)
			}
			if int(p.Partition) >= len(offsets) {
				return 0, fmt.Errorf("fetch: partition %d not asked for", p.Partition)
			}
			n += walkBatches(p.RecordBatches, &offsets[p.Partition])
		}
	}
	return n, nil
}

// walkBatches steps over the whole batches in records (a partial last one
// is fetched again), moving *next past each and counting the records at or
// after it.
func walkBatches(records []byte, next *int64) int64 {
	var n int64
	for len(records) >= 61 {
		size := 12 + int(binary.BigEndian.Uint32(records[8:]))
		if size > len(records) {
			break
		}
		base := int64(binary.BigEndian.Uint64(records))
		last := base + int64(int32(binary.BigEndian.Uint32(records[23:])))
		if last >= *next {
			n += last - max(base, *next) + 1
			*next = last + 1
		}
		records = records[size:]
	}
	return n
}

// selfCPU is this process's user+system CPU-seconds so far.
func selfCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
