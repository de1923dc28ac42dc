package perf

import (
	"fmt"
	"io"
	"time"

	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// kafkaTime formats t as kafka-consumer-perf-test's default --date-format,
// "yyyy-MM-dd HH:mm:ss:SSS"; Go layouts only know fractions after '.' or
// ',', so the milliseconds are added by hand.
func kafkaTime(t time.Time) string {
	return fmt.Sprintf("%s:%03d", t.Format("2006-01-02 15:04:05"), t.Nanosecond()/int(time.Millisecond))
}

const mib = 1024 * 1024

// ConsumeSummary is the result of `kq perf consume`: the figures of
// kafka-consumer-perf-test's CSV line, as fields with -o json or yaml.
type ConsumeSummary struct {
	StartTime     time.Time `json:"start_time"`
	EndTime       time.Time `json:"end_time"`
	Records       int64     `json:"records"`
	MB            float64   `json:"mb"`
	Seconds       float64   `json:"seconds"`
	RecordsPerSec float64   `json:"records_per_sec"`
	MBPerSec      float64   `json:"mb_per_sec"`
	// RebalanceTimeMs is always 0: kq perf consume assigns partitions
	// itself instead of joining a group.
	RebalanceTimeMs    int64   `json:"rebalance_time_ms"`
	FetchTimeMs        int64   `json:"fetch_time_ms"`
	FetchMBPerSec      float64 `json:"fetch_mb_per_sec"`
	FetchRecordsPerSec float64 `json:"fetch_records_per_sec"`
}

func consumeSummary(records, size int64, start, end time.Time) ConsumeSummary {
	elapsed := end.Sub(start)
	s := ConsumeSummary{StartTime: start, EndTime: end, Records: records, MB: float64(size) / mib,
		Seconds: elapsed.Seconds(), FetchTimeMs: elapsed.Milliseconds()}
	if s.Seconds > 0 {
		s.RecordsPerSec, s.MBPerSec = float64(records)/s.Seconds, s.MB/s.Seconds
		s.FetchRecordsPerSec, s.FetchMBPerSec = s.RecordsPerSec, s.MBPerSec
	}
	return s
}

// line is kafka-consumer-perf-test's closing CSV line.
func (s ConsumeSummary) line() string {
	return fmt.Sprintf("%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f",
		kafkaTime(s.StartTime), kafkaTime(s.EndTime), s.MB, s.MBPerSec, s.Records, s.RecordsPerSec,
		s.RebalanceTimeMs, s.FetchTimeMs, s.FetchMBPerSec, s.FetchRecordsPerSec)
}

// consumeReporter counts consumed records and prints Kafka's header and
// detailed-stats lines: on stdout for the table format, on stderr when
// stdout carries JSON or YAML.
type consumeReporter struct {
	opts    *ConsumeOptions
	lines   io.Writer
	records int64
	bytes   int64

	lastReport  time.Time
	lastRecords int64
	lastBytes   int64
}

func newConsumeReporter(opts *ConsumeOptions, start time.Time) *consumeReporter {
	return &consumeReporter{opts: opts, lines: progressWriter(opts.IO, opts.Output), lastReport: start}
}

func (r *consumeReporter) add(size int) {
	r.records++
	r.bytes += int64(size)
}

// header prints Kafka's header unless hidden; in a structured format only
// the detailed lines on stderr need one.
func (r *consumeReporter) header() {
	structured := r.lines != r.opts.IO.Out
	if r.opts.HideHeader || (structured && !r.opts.DetailedStats) {
		return
	}
	first := "start.time, end.time"
	if r.opts.DetailedStats {
		first = "time, threadId"
	}
	fmt.Fprintf(r.lines, "%s, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "+
		"rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec\n", first)
}

// progress prints a detailed-stats line when a reporting interval has
// passed since the last one, as Kafka checks after each poll.
func (r *consumeReporter) progress() {
	if !r.opts.DetailedStats {
		return
	}
	now := r.opts.Now()
	elapsedMs := now.Sub(r.lastReport).Milliseconds()
	if elapsedMs < r.opts.ReportingInterval.Milliseconds() {
		return
	}
	intervalMB := float64(r.bytes-r.lastBytes) / mib
	intervalRecords := float64(r.records - r.lastRecords)
	var mbPerSec, recordsPerSec float64
	if elapsedMs > 0 {
		mbPerSec, recordsPerSec = 1000*intervalMB/float64(elapsedMs), 1000*intervalRecords/float64(elapsedMs)
	}
	// threadId is 0 and the rebalance time 0: one consumer, assigned, no group.
	fmt.Fprintf(r.lines, "%s, 0, %.4f, %.4f, %d, %.4f, 0, %d, %.4f, %.4f\n", kafkaTime(now),
		float64(r.bytes)/mib, mbPerSec, r.records, recordsPerSec, elapsedMs, mbPerSec, recordsPerSec)
	r.lastReport, r.lastRecords, r.lastBytes = now, r.records, r.bytes
}

// summary writes the result: fields in a structured format, else Kafka's
// CSV line, which Kafka leaves out when it prints detailed stats.
func (r *consumeReporter) summary(sum ConsumeSummary) error {
	if done, err := output.Structured(r.opts.IO.Out, r.opts.Output, sum); done {
		return err
	}
	if !r.opts.DetailedStats {
		fmt.Fprintln(r.opts.IO.Out, sum.line())
	}
	return nil
}
