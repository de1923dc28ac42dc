package placement

import "sort"

// rackAware reports whether rack-aware placement applies: every broker has a
// rack (Kafka refuses a mix unless told to ignore racks; kq falls back to
// plain placement instead).
func rackAware(brokers []Broker) bool {
	for _, b := range brokers {
		if b.Rack == "" {
			return false
		}
	}
	return len(brokers) > 0
}

// rackAlternated orders brokers so that consecutive ones sit on different
// racks: the first broker of each rack, then the second of each, and so on.
func rackAlternated(brokers []Broker) []Broker {
	byRack := map[string][]Broker{}
	for _, b := range brokers {
		byRack[b.Rack] = append(byRack[b.Rack], b)
	}
	racks := make([]string, 0, len(byRack))
	for r := range byRack {
		racks = append(racks, r)
	}
	sort.Strings(racks)
	out := make([]Broker, 0, len(brokers))
	for i := 0; len(out) < len(brokers); i++ {
		for _, r := range racks {
			if i < len(byRack[r]) {
				out = append(out, byRack[r][i])
			}
		}
	}
	return out
}

func assignRackAware(brokers []Broker, req Request, start, shift int) map[int32][]int32 {
	n := len(brokers)
	numRacks := countRacks(brokers)
	out := make(map[int32][]int32, req.Partitions)
	p := req.FirstPartition
	for range req.Partitions {
		if p > 0 && int(p)%n == 0 {
			shift++
		}
		first := (int(p) + start) % n
		out[p] = rackAwareReplicas(brokers, first, shift*numRacks, numRacks, int(req.ReplicationFactor))
		p++
	}
	return out
}

// rackAwareReplicas walks the alternated list from the leader and takes a
// broker only if its rack has no replica yet (or every rack has one) and it
// holds no replica yet (or every broker has one).
func rackAwareReplicas(brokers []Broker, first, shift, numRacks, rf int) []int32 {
	n := len(brokers)
	leader := brokers[first]
	replicas := []int32{leader.ID}
	racks := map[string]bool{leader.Rack: true}
	used := map[int32]bool{leader.ID: true}
	k := 0
	for len(replicas) < rf {
		b := brokers[followerIndex(first, shift, k, n)]
		k++
		rackOK := !racks[b.Rack] || len(racks) == numRacks
		brokerOK := !used[b.ID] || len(used) == n
		if rackOK && brokerOK {
			replicas = append(replicas, b.ID)
			racks[b.Rack] = true
			used[b.ID] = true
		}
	}
	return replicas
}

func countRacks(brokers []Broker) int {
	seen := map[string]bool{}
	for _, b := range brokers {
		seen[b.Rack] = true
	}
	return len(seen)
}
