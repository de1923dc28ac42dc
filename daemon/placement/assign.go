package placement

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
)

// ErrInvalidReplicationFactor is returned when the replication factor is
// below 1 or above the number of brokers (Kafka's INVALID_REPLICATION_FACTOR).
var ErrInvalidReplicationFactor = errors.New("invalid replication factor")

// ErrInvalidPartitions is returned for a partition count below 1
// (Kafka's INVALID_PARTITIONS).
var ErrInvalidPartitions = errors.New("invalid number of partitions")

// Broker is a candidate broker; Rack is "" when broker.rack is unset.
type Broker struct {
	ID   int32
	Rack string
}

// Request describes the partitions to place.
type Request struct {
	Brokers           []Broker
	Partitions        int32
	ReplicationFactor int16
	// FirstPartition is the id of the first new partition (non-zero when
	// partitions are added to an existing topic).
	FirstPartition int32
	// StartIndex fixes the index of the first replica's broker; -1 picks one
	// at random, as Kafka does for a new topic.
	StartIndex int
	// Rand supplies randomness; nil uses a process-wide source.
	Rand *rand.Rand
}

// Assign returns, for each new partition id, its replicas in preference
// order (the first is the preferred leader).
func Assign(req Request) (map[int32][]int32, error) {
	n := len(req.Brokers)
	if req.Partitions <= 0 {
		return nil, fmt.Errorf("%w: number of partitions must be larger than 0", ErrInvalidPartitions)
	}
	if req.ReplicationFactor <= 0 {
		return nil, fmt.Errorf("%w: replication factor must be larger than 0", ErrInvalidReplicationFactor)
	}
	if int(req.ReplicationFactor) > n {
		return nil, fmt.Errorf("%w: replication factor: %d larger than available brokers: %d", ErrInvalidReplicationFactor, req.ReplicationFactor, n)
	}
	brokers := append([]Broker(nil), req.Brokers...)
	sort.Slice(brokers, func(i, j int) bool { return brokers[i].ID < brokers[j].ID })
	start, shift := req.starts(n)
	if rackAware(brokers) {
		return assignRackAware(rackAlternated(brokers), req, start, shift), nil
	}
	return assignPlain(brokers, req, start, shift), nil
}

func (req Request) starts(n int) (start, shift int) {
	if req.StartIndex >= 0 {
		return req.StartIndex % n, req.StartIndex % n
	}
	r := req.Rand
	if r == nil {
		return rand.IntN(n), rand.IntN(n)
	}
	return r.IntN(n), r.IntN(n)
}

func assignPlain(brokers []Broker, req Request, start, shift int) map[int32][]int32 {
	n := len(brokers)
	out := make(map[int32][]int32, req.Partitions)
	p := req.FirstPartition
	for range req.Partitions {
		if p > 0 && int(p)%n == 0 {
			shift++
		}
		first := (int(p) + start) % n
		replicas := []int32{brokers[first].ID}
		for j := 0; j < int(req.ReplicationFactor)-1; j++ {
			replicas = append(replicas, brokers[followerIndex(first, shift, j, n)].ID)
		}
		out[p] = replicas
		p++
	}
	return out
}

// followerIndex is Kafka's replicaIndex: followers are placed at a shift of
// 1..n-1 from the leader so no replica lands on the leader's broker.
func followerIndex(first, shift, j, n int) int {
	if n == 1 {
		return first
	}
	s := 1 + (shift+j)%(n-1)
	return (first + s) % n
}
