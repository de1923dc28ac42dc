package groups

import (
	"encoding/csv"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
)

// Kind is how --reset-offsets picks the new offsets.
type Kind int

// The --to-* options of kafka-consumer-groups.
const (
	ToEarliest Kind = iota + 1
	ToLatest
	ToCurrent
	ToOffset
	ShiftBy
	ToDatetime
	ByDuration
	FromFile
)

// Strategy is one --to-* option and its value.
type Strategy struct {
	Kind     Kind
	Offset   int64         // ToOffset, ShiftBy
	Time     time.Time     // ToDatetime
	Duration time.Duration // ByDuration: back from now
	// Plan is FromFile's content: group ("" for any) -> topic -> partition -> offset.
	Plan map[string]map[string]map[int32]int64
}

// TopicSelection is one --topic value: a topic, and partitions or none
// for all of them.
type TopicSelection struct {
	Topic      string
	Partitions []int32
}

// parseTopicSelection reads "t" or "t:0,1,2".
func parseTopicSelection(s string) (TopicSelection, error) {
	topic, parts, ok := strings.Cut(s, ":")
	sel := TopicSelection{Topic: topic}
	if topic == "" {
		return sel, fmt.Errorf("--topic %q: no topic name", s)
	}
	if !ok {
		return sel, nil
	}
	for _, p := range strings.Split(parts, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 32)
		if err != nil || n < 0 {
			return sel, fmt.Errorf("--topic %q: partition %q is not a partition number", s, p)
		}
		sel.Partitions = append(sel.Partitions, int32(n))
	}
	return sel, nil
}

func parseDatetime(s string, loc *time.Location) (time.Time, error) {
	t, err := admin.ParseResetDatetime(s, loc)
	if err != nil {
		return t, fmt.Errorf("--to-datetime %w", err)
	}
	return t, nil
}

var isoDuration = regexp.MustCompile(`^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// parseDuration reads --by-duration: ISO 8601 as Kafka (PnDTnHnMnS, e.g.
// PT1H30M), or Go's form (90m).
func parseDuration(s string) (time.Duration, error) {
	m := isoDuration.FindStringSubmatch(strings.ToUpper(s))
	if m == nil || s == "P" || strings.HasSuffix(strings.ToUpper(s), "T") {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("--by-duration %q: want ISO 8601 (PnDTnHnMnS, e.g. PT1H) or a duration such as 90m", s)
		}
		return d, nil
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+2] == "" {
			continue
		}
		v, _ := strconv.ParseFloat(m[i+2], 64) // the pattern admits only numbers
		d += time.Duration(v * float64(unit))
	}
	if m[1] == "-" {
		d = -d
	}
	return d, nil
}

// parsePlan reads --from-file: CSV lines "topic,partition,offset" or
// "group,topic,partition,offset", as kafka-consumer-groups --export writes.
func parsePlan(data []byte) (map[string]map[string]map[int32]int64, error) {
	r := csv.NewReader(strings.NewReader(string(data)))
	r.FieldsPerRecord = -1
	lines, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("--from-file: %w", err)
	}
	plan := map[string]map[string]map[int32]int64{}
	for i, l := range lines {
		group := ""
		switch len(l) {
		case 3:
		case 4:
			group, l = l[0], l[1:]
		default:
			return nil, fmt.Errorf("--from-file line %d: want topic,partition,offset or group,topic,partition,offset", i+1)
		}
		p, err1 := strconv.ParseInt(strings.TrimSpace(l[1]), 10, 32)
		off, err2 := strconv.ParseInt(strings.TrimSpace(l[2]), 10, 64)
		if err1 != nil || err2 != nil || p < 0 || off < 0 {
			return nil, fmt.Errorf("--from-file line %d: partition and offset must be non-negative numbers", i+1)
		}
		if plan[group] == nil {
			plan[group] = map[string]map[int32]int64{}
		}
		if plan[group][l[0]] == nil {
			plan[group][l[0]] = map[int32]int64{}
		}
		plan[group][l[0]][int32(p)] = off
	}
	return plan, nil
}
