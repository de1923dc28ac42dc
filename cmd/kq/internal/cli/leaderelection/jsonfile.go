package leaderelection

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// partitionsFile is kafka-leader-election.sh's --path-to-json-file.
type partitionsFile struct {
	Partitions *[]struct {
		Topic     *string `json:"topic"`
		Partition *int32  `json:"partition"`
	} `json:"partitions"`
}

// readPartitionsFile reads the partitions to elect, refusing what Kafka
// refuses: a missing "partitions" list, entries without a topic or
// partition, and partitions named twice.
func readPartitionsFile(path string) (map[string][]int32, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read partitions file: %w", err)
	}
	parts, err := parsePartitions(data)
	if err != nil {
		return nil, fmt.Errorf("partitions file %s: %w", path, err)
	}
	return parts, nil
}

func parsePartitions(data []byte) (map[string][]int32, error) {
	var f partitionsFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if f.Partitions == nil {
		return nil, fmt.Errorf(`no "partitions" list`)
	}
	out := map[string][]int32{}
	var dups []string
	for i, p := range *f.Partitions {
		if p.Topic == nil || *p.Topic == "" || p.Partition == nil || *p.Partition < 0 {
			return nil, fmt.Errorf("entry %d needs a topic and a partition of 0 or more", i)
		}
		if slices.Contains(out[*p.Topic], *p.Partition) {
			dups = append(dups, fmt.Sprintf("%s-%d", *p.Topic, *p.Partition))
			continue
		}
		out[*p.Topic] = append(out[*p.Topic], *p.Partition)
	}
	if len(dups) > 0 {
		return nil, fmt.Errorf("replica election data contains duplicate partitions: %s", strings.Join(dups, ", "))
	}
	return out, nil
}
