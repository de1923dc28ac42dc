package server

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestFramesAreReusedOnlyWhenDone: a request's bytes stay its own while
// the handler may use them. Requests answered with FrameDone hand their
// frame to the next ones; a handler that keeps its requests' bytes (no
// FrameDone) finds them intact after many later requests.
func TestFramesAreReusedOnlyWhenDone(t *testing.T) {
	tests := []struct {
		name string
		done bool
	}{
		{name: "frame done", done: true},
		{name: "frame kept", done: false},
	}
	const requests, size = 40, 8 << 10
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			kept := map[byte][]byte{}
			h := newFakeHandler()
			h.handle = func(_ context.Context, req *Request) (*Response, error) {
				records := req.Body.(*kmsg.ProduceRequest).Topics[0].Partitions[0].Records
				if len(records) != size || !bytes.Equal(records, bytes.Repeat(records[:1], size)) {
					t.Errorf("request %d reads bytes of another request", req.CorrelationID)
				}
				if !tc.done {
					mu.Lock()
					kept[records[0]] = records
					mu.Unlock()
				}
				return &Response{Msg: req.Body.ResponseKind(), FrameDone: tc.done}, nil
			}
			s := startServer(t, Config{}, h)
			c := dialClient(t, s.addr)
			for i := range requests {
				c.send(produceWith(bytes.Repeat([]byte{byte(i)}, size)))
			}
			for range requests {
				resp := kmsg.NewPtrProduceResponse()
				resp.SetVersion(9)
				c.recv(resp)
			}
			mu.Lock()
			defer mu.Unlock()
			for b, records := range kept {
				if !bytes.Equal(records, bytes.Repeat([]byte{b}, size)) {
					t.Fatalf("the kept records of request %d were overwritten", b)
				}
			}
		})
	}
}

// produceWith is a Produce v9 request carrying records as they are.
func produceWith(records []byte) *kmsg.ProduceRequest {
	req := kmsg.NewPtrProduceRequest()
	req.SetVersion(9)
	req.Acks, req.TimeoutMillis = 1, 1000
	p := kmsg.NewProduceRequestTopicPartition()
	p.Records = records
	topic := kmsg.NewProduceRequestTopic()
	topic.Topic = "t"
	topic.Partitions = append(topic.Partitions, p)
	req.Topics = append(req.Topics, topic)
	return req
}
