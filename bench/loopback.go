package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"time"
)

// loopbackBytes is what one bandwidth run sends: large enough that
// connection setup is noise, small enough to take about a second.
const loopbackBytes = 2 << 30

// loopbackBandwidth sends loopbackBytes over one 127.0.0.1 TCP connection
// with 1 MiB writes, runs times, and returns the median MB/s (MiB/s, as
// Kafka's perf tools count).
func loopbackBandwidth(ctx context.Context, runs int) (float64, error) {
	var rates []float64
	for range runs {
		r, err := loopbackOnce(ctx)
		if err != nil {
			return 0, err
		}
		rates = append(rates, r)
	}
	slices.Sort(rates)
	return rates[len(rates)/2], nil
}

func loopbackOnce(ctx context.Context) (float64, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("listen: %w", err)
	}
	defer l.Close()
	received := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			received <- err
			return
		}
		defer c.Close()
		received <- drainConn(c)
	}()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", l.Addr().String())
	if err != nil {
		return 0, fmt.Errorf("dial: %w", err)
	}
	buf := make([]byte, 1<<20)
	start := time.Now()
	for sent := 0; sent < loopbackBytes; sent += len(buf) {
		if _, err := c.Write(buf); err != nil {
			c.Close()
			return 0, fmt.Errorf("write: %w", err)
		}
	}
	c.Close()
	if err := <-received; err != nil {
		return 0, fmt.Errorf("receive: %w", err)
	}
	return float64(loopbackBytes) / (1 << 20) / time.Since(start).Seconds(), nil
}

// drainConn reads until EOF with 1 MiB reads, so the receiver costs as
// little per byte as the sender.
func drainConn(c net.Conn) error {
	buf := make([]byte, 1<<20)
	for {
		if _, err := c.Read(buf); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}
