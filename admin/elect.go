package admin

import (
	"context"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// ElectionType is the kind of leader election ElectLeaders asks for.
type ElectionType int8

const (
	// PreferredElection moves leadership to each partition's preferred
	// (first assigned) replica when it is live and in the ISR.
	PreferredElection ElectionType = 0
	// UncleanElection elects a leader for partitions without a live one,
	// from outside the ISR if need be (acknowledged records may be lost).
	UncleanElection ElectionType = 1
)

func (t ElectionType) String() string {
	if t == UncleanElection {
		return "UNCLEAN"
	}
	return "PREFERRED"
}

// ElectionResult is one partition's outcome. Err is nil when a leader was
// elected; ELECTION_NOT_NEEDED (kerr.ElectionNotNeeded) when a valid
// leader was already in place.
type ElectionResult struct {
	Topic     string
	Partition int32
	Err       error
}

// ElectLeaders asks the controller for an election of the given partitions
// (topic -> partitions), or of every partition when partitions is nil; the
// controller then reports only the partitions that needed one. Results are
// sorted by topic and partition. A request-level refusal is the error.
func (c *Client) ElectLeaders(ctx context.Context, typ ElectionType, partitions map[string][]int32) ([]ElectionResult, error) {
	req := kmsg.NewPtrElectLeadersRequest()
	req.ElectionType, req.TimeoutMillis = int8(typ), c.timeoutMillis()
	if partitions != nil {
		req.Topics = []kmsg.ElectLeadersRequestTopic{}
	}
	for _, topic := range requestedTopics(partitions) {
		rt := kmsg.NewElectLeadersRequestTopic()
		rt.Topic, rt.Partitions = topic, partitions[topic]
		req.Topics = append(req.Topics, rt)
	}
	kresp, err := c.request(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("elect leaders: %w", err)
	}
	resp := kresp.(*kmsg.ElectLeadersResponse)
	if err := kafkaError(resp.ErrorCode, nil); err != nil {
		return nil, fmt.Errorf("elect leaders: %w", err)
	}
	var out []ElectionResult
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			out = append(out, ElectionResult{Topic: t.Topic, Partition: p.Partition, Err: kafkaError(p.ErrorCode, p.ErrorMessage)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
	return out, nil
}

func requestedTopics(m map[string][]int32) []string {
	out := make([]string, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
