package handler_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// FuzzHandle feeds every served API whatever kmsg decodes from fuzzed bytes
// (negative partitions, absurd counts, null arrays, unknown ids) and checks
// the handler neither panics nor hangs: it answers, or returns an error
// (close the connection), and its answer encodes.
//
// Bytes are decoded at the API's newest non-flexible version, then the
// request is re-encoded at the version under test: kmsg spends seconds on a
// forged tag count (see daemon/internal/server's doc), which would stall the
// fuzzer without exercising any handler.
func FuzzHandle(f *testing.F) {
	fx := newFixture(f) // no controller: its hooks would call F methods inside the target
	fx.topic("t", part{leader: self, replicas: []int32{self, 2}, isr: []int32{self}}, part{leader: 2, replicas: []int32{2, self}})
	fx.produce("t", 0, batch(1000, "a", "b"))
	keys := servedKeys(fx)
	for _, seed := range fuzzSeeds() {
		f.Add(seed.Key(), seed.GetVersion(), nonFlexibleBytes(fx, seed))
	}
	f.Fuzz(func(t *testing.T, key, version int16, body []byte) {
		k := keys[int(uint16(key))%len(keys)]
		lo, hi, _ := fx.h.Versions(k)
		req, ok := decodeAt(k, lo+int16(int(uint16(version))%int(hi-lo+1)), lo, hi, body)
		if ok {
			handleBounded(t, fx, req)
		}
	})
}

// decodeAt decodes body at key's newest non-flexible version in [lo, hi]
// (the default request when every version is flexible) and returns it as
// decoded at version v, as a client would have encoded it.
func decodeAt(key, v, lo, hi int16, body []byte) (kmsg.Request, bool) {
	req := kmsg.RequestForKey(key)
	for nf := hi; nf >= lo; nf-- {
		req.SetVersion(nf)
		if !req.IsFlexible() {
			if req.ReadFrom(body) != nil {
				return nil, false
			}
			break
		}
	}
	req.SetVersion(v)
	out := kmsg.RequestForKey(key)
	out.SetVersion(v)
	if out.ReadFrom(req.AppendTo(nil)) != nil {
		return nil, false
	}
	return out, true
}

// handleBounded runs one request with a short-lived connection context:
// every wait must end soon after it is cancelled.
func handleBounded(t *testing.T, fx *fixture, req kmsg.Request) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	out, err := fx.h.Handle(ctx, &server.Request{Key: req.Key(), Version: req.GetVersion(), Body: req, Conn: server.ConnInfo{Listener: "PLAINTEXT"}})
	if err != nil || out == nil {
		return
	}
	if out.Ready != nil {
		select {
		case <-out.Ready:
		case <-time.After(testTimeout):
			t.Fatalf("%s v%d: not ready %v after its connection closed", kmsg.NameForKey(req.Key()), req.GetVersion(), testTimeout)
		}
	}
	if out.Msg != nil {
		out.Msg.SetVersion(req.GetVersion())
		out.Msg.AppendTo(nil)
	}
}

// nonFlexibleBytes encodes a seed at its API's newest non-flexible version,
// the form decodeAt reads.
func nonFlexibleBytes(fx *fixture, req kmsg.Request) []byte {
	lo, hi, _ := fx.h.Versions(req.Key())
	for v := hi; v >= lo; v-- {
		req.SetVersion(v)
		if !req.IsFlexible() {
			return req.AppendTo(nil)
		}
	}
	return nil
}

func servedKeys(fx *fixture) []int16 {
	var keys []int16
	for k := int16(0); k <= kmsg.MaxKey; k++ {
		if _, _, ok := fx.h.Versions(k); ok {
			keys = append(keys, k)
		}
	}
	return keys
}

// fuzzSeeds are realistic requests for the APIs whose fields interact most.
func fuzzSeeds() []kmsg.Request {
	create := createTopicsReq(7, newTopic("n", 2, 1, "retention.ms", "1000"))
	create.TimeoutMillis = 100
	grow := kmsg.NewPtrCreatePartitionsRequest()
	grow.Version, grow.TimeoutMillis = 3, 100
	grow.Topics = []kmsg.CreatePartitionsRequestTopic{growTo("t", 3)}
	inc := kmsg.NewPtrIncrementalAlterConfigsRequest()
	inc.Version = 1
	inc.Resources = []kmsg.IncrementalAlterConfigsRequestResource{incResource(kmsg.ConfigResourceTypeTopic, "t",
		op{"cleanup.policy", kmsg.IncrementalAlterConfigOpAppend, "compact"})}
	return []kmsg.Request{
		produceReq(-1, "t", 0, batch(1000, "x")),
		produceReq(1, "t", 1, batch(1000, "y")),
		fetchReq(100, 1, 1<<20, fetchPart{topic: "t", epoch: -1}, fetchPart{topic: "t", partition: 1, offset: 5}),
		listOffsetsReq(7, "t", 0, -3),
		metadataReq(12, "t", "new"),
		create, grow, inc,
		deleteRecordsReq("t", 0, 1),
		offsetForLeaderEpochReq("t", 0, -1, 0),
		describeConfigsReq(4, kmsg.ConfigResourceTypeBroker, "1"),
	}
}
