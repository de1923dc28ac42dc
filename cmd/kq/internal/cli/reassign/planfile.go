package reassign

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/kqhq/kq/admin"
)

// anyLogDir is the log_dirs entry that leaves the choice to the broker.
const anyLogDir = "any"

// planFile is kafka-reassign-partitions.sh's reassignment JSON:
// {"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}.
// Fields are in Kafka's order, so encoding it prints what Kafka prints.
type planFile struct {
	Version    int         `json:"version"`
	Partitions []planEntry `json:"partitions"`
}

type planEntry struct {
	Topic     string   `json:"topic"`
	Partition int32    `json:"partition"`
	Replicas  []int32  `json:"replicas"`
	LogDirs   []string `json:"log_dirs"`
}

// planOf is the reassignment JSON of some partitions' replicas, sorted by
// topic and partition, every log dir "any".
func planOf(parts []admin.PartitionReplicas) planFile {
	sorted := slices.Clone(parts)
	slices.SortStableFunc(sorted, comparePartitions)
	f := planFile{Version: 1, Partitions: []planEntry{}}
	for _, p := range sorted {
		dirs := make([]string, len(p.Replicas))
		for i := range dirs {
			dirs[i] = anyLogDir
		}
		f.Partitions = append(f.Partitions, planEntry{Topic: p.Topic, Partition: p.Partition, Replicas: orEmpty(p.Replicas), LogDirs: dirs})
	}
	return f
}

// String is the compact one-line JSON Kafka prints.
func (f planFile) String() string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(f) // plain data: cannot fail
	return strings.TrimSuffix(buf.String(), "\n")
}

// rawPlan is the reassignment JSON as read, with pointers to tell missing
// fields from zero values.
type rawPlan struct {
	Version    *int `json:"version"`
	Partitions []struct {
		Topic     *string  `json:"topic"`
		Partition *int32   `json:"partition"`
		Replicas  *[]int32 `json:"replicas"`
		LogDirs   []string `json:"log_dirs"`
	} `json:"partitions"`
}

// readPlanFile reads --reassignment-json-file.
func readPlanFile(path string) ([]admin.PartitionReplicas, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read reassignment file: %w", err)
	}
	parts, err := parsePlan(data)
	if err != nil {
		return nil, fmt.Errorf("reassignment file %s: %w", path, err)
	}
	return parts, nil
}

// parsePlan reads a reassignment JSON as Kafka's
// parsePartitionReassignmentData does: version 1 (or none), every entry
// with a topic, a partition and replicas, log_dirs (when given) as long as
// the replicas. kq places replicas in a broker's log dirs itself, so every
// log dir must be "any".
func parsePlan(data []byte) ([]admin.PartitionReplicas, error) {
	var raw rawPlan
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if raw.Version != nil && *raw.Version != 1 {
		return nil, fmt.Errorf("not supported version field value %d", *raw.Version)
	}
	out := make([]admin.PartitionReplicas, 0, len(raw.Partitions))
	for i, p := range raw.Partitions {
		if p.Topic == nil || p.Partition == nil || p.Replicas == nil {
			return nil, fmt.Errorf("entry %d needs \"topic\", \"partition\" and \"replicas\"", i)
		}
		tp := admin.PartitionReplicas{Topic: *p.Topic, Partition: *p.Partition, Replicas: *p.Replicas}
		if p.LogDirs != nil && len(p.LogDirs) != len(tp.Replicas) {
			return nil, fmt.Errorf("size of replicas list %s is different from size of log dirs list %s for partition %s",
				ids(tp.Replicas), strings.Join(p.LogDirs, ","), name(tp))
		}
		if i := slices.IndexFunc(p.LogDirs, func(d string) bool { return d != anyLogDir }); i >= 0 {
			return nil, fmt.Errorf("partition %s: log dir %q: kq does not move replicas between log dirs, use \"any\"", name(tp), p.LogDirs[i])
		}
		out = append(out, tp)
	}
	return out, nil
}

// checkExecutePlan refuses what Kafka's parseExecuteAssignmentArgs refuses.
func checkExecutePlan(parts []admin.PartitionReplicas) error {
	if len(parts) == 0 {
		return fmt.Errorf("partition reassignment list cannot be empty")
	}
	if slices.ContainsFunc(parts, func(p admin.PartitionReplicas) bool { return len(p.Replicas) == 0 }) {
		return fmt.Errorf("partition replica list cannot be empty")
	}
	seen := map[string]bool{}
	var dupParts, dupReplicas []string
	for _, p := range parts {
		if seen[name(p)] {
			dupParts = append(dupParts, name(p))
		}
		seen[name(p)] = true
		if d := duplicates(p.Replicas); len(d) > 0 {
			dupReplicas = append(dupReplicas, fmt.Sprintf("%s contains multiple entries for %s", name(p), ids(d)))
		}
	}
	if len(dupParts) > 0 {
		return fmt.Errorf("partition reassignment contains duplicate topic partitions: %s", strings.Join(dupParts, ","))
	}
	if len(dupReplicas) > 0 {
		return fmt.Errorf("partition replica lists may not contain duplicate entries: %s", strings.Join(dupReplicas, ". "))
	}
	return nil
}

// readTopicsFile reads --topics-to-move-json-file:
// {"version":1,"topics":[{"topic":"t"}]}.
func readTopicsFile(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read topics file: %w", err)
	}
	var raw struct {
		Version *int `json:"version"`
		Topics  *[]struct {
			Topic *string `json:"topic"`
		} `json:"topics"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("topics file %s: not valid JSON: %w", path, err)
	}
	if raw.Version != nil && *raw.Version != 1 {
		return nil, fmt.Errorf("topics file %s: not supported version field value %d", path, *raw.Version)
	}
	if raw.Topics == nil {
		return nil, fmt.Errorf(`topics file %s: no "topics" list`, path)
	}
	var topics []string
	for i, t := range *raw.Topics {
		if t.Topic == nil || *t.Topic == "" {
			return nil, fmt.Errorf("topics file %s: entry %d needs a \"topic\"", path, i)
		}
		topics = append(topics, *t.Topic)
	}
	if d := duplicates(topics); len(d) > 0 {
		return nil, fmt.Errorf("list of topics to reassign contains duplicate entries: %s", strings.Join(d, ","))
	}
	return topics, nil
}

// duplicates returns the values found more than once, each once, in order.
func duplicates[T comparable](s []T) []T {
	count := map[T]int{}
	var out []T
	for _, v := range s {
		count[v]++
		if count[v] == 2 {
			out = append(out, v)
		}
	}
	return out
}

// sortedResults returns results by topic and partition, as Kafka prints them.
func sortedResults(rs []admin.ReassignResult) []admin.ReassignResult {
	out := slices.Clone(rs)
	slices.SortFunc(out, func(a, b admin.ReassignResult) int {
		return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
	return out
}

func comparePartitions(a, b admin.PartitionReplicas) int {
	return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
}

// name is Kafka's TopicPartition text: "topic-partition".
func name(p admin.PartitionReplicas) string { return fmt.Sprintf("%s-%d", p.Topic, p.Partition) }

// names joins partitions' names with commas, as Kafka's messages do.
func names(parts []admin.PartitionReplicas) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = name(p)
	}
	return strings.Join(s, ",")
}

func ids(s []int32) string {
	out := make([]string, len(s))
	for i, id := range s {
		out[i] = fmt.Sprint(id)
	}
	return strings.Join(out, ",")
}

func orEmpty(s []int32) []int32 {
	if s == nil {
		return []int32{}
	}
	return s
}
