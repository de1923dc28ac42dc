package fetcher_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/fetcher"
	"github.com/kqhq/kq/daemon/internal/server"
)

// kafkaServer is kq's network layer over a handler that answers
// ApiVersions from a table, Fetch with fixed records (or, for a partition
// named hold, not before release closes) and ListOffsets with offset 42.
type kafkaServer struct {
	versions map[int16][2]int16
	records  []byte
	release  chan struct{}
	closeOn  atomic.Int32 // a request with this correlation id closes the connection
}

const holdPartition = 7

func (s *kafkaServer) Versions(key int16) (int16, int16, bool) {
	v, ok := s.versions[key]
	return v[0], v[1], ok
}

func (s *kafkaServer) Handle(ctx context.Context, req *server.Request) (*server.Response, error) {
	if req.CorrelationID == s.closeOn.Load() {
		return nil, errors.New("close the connection")
	}
	switch body := req.Body.(type) {
	case *kmsg.ApiVersionsRequest:
		resp := body.ResponseKind().(*kmsg.ApiVersionsResponse)
		for key, v := range s.versions {
			resp.ApiKeys = append(resp.ApiKeys, kmsg.ApiVersionsResponseApiKey{ApiKey: key, MinVersion: v[0], MaxVersion: v[1]})
		}
		return &server.Response{Msg: resp}, nil
	case *kmsg.FetchRequest:
		return s.fetch(body), nil
	case *kmsg.ListOffsetsRequest:
		resp := body.ResponseKind().(*kmsg.ListOffsetsResponse)
		t := kmsg.NewListOffsetsResponseTopic()
		t.Topic = "t"
		for _, rp := range body.Topics[0].Partitions {
			p := kmsg.NewListOffsetsResponseTopicPartition()
			p.Partition, p.Offset = rp.Partition, 42
			t.Partitions = append(t.Partitions, p)
		}
		resp.Topics = append(resp.Topics, t)
		return &server.Response{Msg: resp}, nil
	}
	return &server.Response{Msg: req.Body.ResponseKind()}, nil
}

func (s *kafkaServer) fetch(body *kmsg.FetchRequest) *server.Response {
	resp := body.ResponseKind().(*kmsg.FetchResponse)
	p := kmsg.NewFetchResponseTopicPartition()
	p.Partition, p.RecordBatches = body.Topics[0].Partitions[0].Partition, s.records
	resp.Topics = append(resp.Topics, kmsg.FetchResponseTopic{Topic: body.Topics[0].Topic, Partitions: []kmsg.FetchResponseTopicPartition{p}})
	out := &server.Response{Msg: resp}
	if p.Partition == holdPartition {
		out.Ready = s.release
	}
	return out
}

func startKafkaServer(t testing.TB) (*kafkaServer, string) {
	t.Helper()
	h := &kafkaServer{
		versions: map[int16][2]int16{1: {4, 16}, 2: {0, 8}, 18: {0, 3}},
		records:  bytes.Repeat([]byte("record"), 1000),
		release:  make(chan struct{}),
	}
	srv, err := server.New(server.Config{
		Listeners: []server.Listener{{Name: "PLAINTEXT", Address: "127.0.0.1:0"}},
		Logger:    slog.New(slog.DiscardHandler),
	}, h)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		close(h.release)
		cancel()
		sctx, scancel := context.WithTimeout(context.Background(), timeout)
		defer scancel()
		if err := srv.Shutdown(sctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		<-served
	})
	return h, srv.Addrs()[0].String()
}

func fetchRequest(partition int32) *kmsg.FetchRequest {
	req := kmsg.NewPtrFetchRequest()
	req.ReplicaID = followerID
	req.ReplicaState.ID = followerID
	t := kmsg.NewFetchRequestTopic()
	t.Topic = "t"
	p := kmsg.NewFetchRequestTopicPartition()
	p.Partition = partition
	t.Partitions = append(t.Partitions, p)
	req.Topics = append(req.Topics, t)
	return req
}

// listOffsetsRequest asks for enough partitions that the answer is
// larger than the fetch response's bytes before its records, and smaller
// than the whole fetch response, so a shared buffer would be reused.
func listOffsetsRequest() *kmsg.ListOffsetsRequest {
	req := kmsg.NewPtrListOffsetsRequest()
	t := kmsg.NewListOffsetsRequestTopic()
	t.Topic = "t"
	for i := range int32(100) {
		p := kmsg.NewListOffsetsRequestTopicPartition()
		p.Partition = i
		t.Partitions = append(t.Partitions, p)
	}
	req.Topics = append(req.Topics, t)
	return req
}

func dial(t *testing.T, addr string) fetcher.Client {
	t.Helper()
	cl, err := fetcher.DirectDialer(followerID, -1, nil)(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func request(t *testing.T, cl fetcher.Client, req kmsg.Request) kmsg.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	resp, err := cl.Request(ctx, req)
	if err != nil {
		t.Fatalf("%s: %v", kmsg.NameForKey(req.Key()), err)
	}
	return resp
}

// The client speaks the highest version both sides have, and a fetch's
// records stay intact while the fetcher sends a request of another API
// (a ListOffsets for an out-of-range partition, in the middle of applying
// a fetch response).
func TestDirectClientNegotiatesAndKeepsFetchedRecords(t *testing.T) {
	srv, addr := startKafkaServer(t)
	cl := dial(t, addr)
	req := fetchRequest(0)
	resp := request(t, cl, req).(*kmsg.FetchResponse)
	if req.Version != 16 || resp.Version != 16 {
		t.Fatalf("fetch at v%d, response v%d; want v16 (the server's maximum)", req.Version, resp.Version)
	}
	records := resp.Topics[0].Partitions[0].RecordBatches
	lo := request(t, cl, listOffsetsRequest()).(*kmsg.ListOffsetsResponse)
	if got := lo.Topics[0].Partitions[0].Offset; got != 42 {
		t.Fatalf("list offsets answered %d, want 42", got)
	}
	if !bytes.Equal(records, srv.records) {
		t.Fatal("the fetched records changed under a request of another API")
	}
}

// After the broker closes the connection the request fails, and the next
// one dials again, as a general client would.
func TestDirectClientRedialsAfterAnError(t *testing.T) {
	srv, addr := startKafkaServer(t)
	cl := dial(t, addr)
	request(t, cl, fetchRequest(0)) // correlation ids: 1 ApiVersions, 2 Fetch
	srv.closeOn.Store(3)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if _, err := cl.Request(ctx, fetchRequest(0)); err == nil {
		t.Fatal("a request on a connection the broker closed succeeded")
	}
	resp := request(t, cl, fetchRequest(0)).(*kmsg.FetchResponse)
	if !bytes.Equal(resp.Topics[0].Partitions[0].RecordBatches, srv.records) {
		t.Fatal("wrong records after redialing")
	}
}

// Cancelling the context ends a request the broker holds (a long poll),
// without waiting for its answer.
func TestDirectClientRequestEndsWithItsContext(t *testing.T) {
	_, addr := startKafkaServer(t)
	cl := dial(t, addr)
	request(t, cl, fetchRequest(0))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := cl.Request(ctx, fetchRequest(holdPartition))
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled", err)
		}
	case <-time.After(timeout):
		t.Fatal("the request did not end with its context")
	}
}

// An API the broker does not serve fails with UNSUPPORTED_VERSION before
// anything is sent, and the connection stays usable.
func TestDirectClientRefusesAnUnservedAPI(t *testing.T) {
	srv, addr := startKafkaServer(t)
	cl := dial(t, addr)
	request(t, cl, fetchRequest(0))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_, err := cl.Request(ctx, kmsg.NewPtrMetadataRequest())
	if !errors.Is(err, kerr.UnsupportedVersion) {
		t.Fatalf("metadata: err %v, want UNSUPPORTED_VERSION", err)
	}
	srv.closeOn.Store(-1)
	request(t, cl, fetchRequest(0))
}
