package getoffsets

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// filter selects topic-partitions as Kafka's TopicPartitionFilter does.
type filter interface {
	topic(name string) bool
	partition(topic string, p int32) bool
}

// rule is a topic regex and a partition range [lo, hi).
type rule struct {
	topicRe *regexp.Regexp
	lo, hi  int64
	set     map[int32]bool // --partitions; nil for the range
}

func (r rule) topic(name string) bool { return r.topicRe.MatchString(name) }

func (r rule) partition(topic string, p int32) bool {
	if !r.topic(topic) {
		return false
	}
	if r.set != nil {
		return len(r.set) == 0 || r.set[p]
	}
	return int64(p) >= r.lo && int64(p) < r.hi
}

// anyOf is --topic-partitions: a partition one rule allows is in.
type anyOf []rule

func (a anyOf) topic(name string) bool {
	for _, r := range a {
		if r.topic(name) {
			return true
		}
	}
	return false
}

func (a anyOf) partition(topic string, p int32) bool {
	for _, r := range a {
		if r.partition(topic, p) {
			return true
		}
	}
	return false
}

// includeList compiles a topic pattern as Kafka's IncludeList does: ','
// separates alternatives, spaces and surrounding quotes are dropped, and
// the whole name must match.
func includeList(raw string) (*regexp.Regexp, error) {
	s := strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(raw), ",", "|"), " ", "")
	s = strings.Trim(s, `"'`)
	re, err := regexp.Compile("^(?:" + s + ")$")
	if err != nil {
		return nil, fmt.Errorf("invalid topic regular expression %q: %w", raw, err)
	}
	return re, nil
}

// topicAndPartitions is --topic and --partitions.
func topicAndPartitions(topic, partitions string) (filter, error) {
	if topic == "" {
		topic = ".*"
	}
	re, err := includeList(topic)
	if err != nil {
		return nil, err
	}
	set := map[int32]bool{}
	if partitions != "" {
		for _, s := range strings.Split(partitions, ",") {
			p, err := strconv.ParseInt(s, 10, 32)
			if err != nil {
				return nil, fmt.Errorf("--partitions expects a comma separated list of numeric partition ids, but received: %s", partitions)
			}
			set[int32(p)] = true
		}
	}
	return rule{topicRe: re, set: set}, nil
}

// rulePattern is Kafka's TOPIC_PARTITION_PATTERN.
var rulePattern = regexp.MustCompile(`^([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?$`)

// topicPartitionRules parses --topic-partitions, e.g.
// "topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3,:0".
func topicPartitionRules(spec string) (filter, error) {
	var rules anyOf
	for _, s := range strings.Split(spec, ",") {
		m := rulePattern.FindStringSubmatch(s)
		if m == nil {
			return nil, fmt.Errorf("Invalid rule specification: %s", s)
		}
		r, err := newRule(m[1], m[2], m[3], m[4])
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func newRule(topic, one, lo, hi string) (rule, error) {
	if topic == "" {
		topic = ".*"
	}
	re, err := includeList(topic)
	if err != nil {
		return rule{}, err
	}
	r := rule{topicRe: re, lo: 0, hi: math.MaxInt32}
	if one != "" {
		p, err := strconv.ParseInt(one, 10, 32)
		if err != nil {
			return rule{}, fmt.Errorf("partition %q: %w", one, err)
		}
		r.lo, r.hi = p, p+1
		return r, nil
	}
	if lo != "" {
		if r.lo, err = strconv.ParseInt(lo, 10, 32); err != nil {
			return rule{}, fmt.Errorf("partition %q: %w", lo, err)
		}
	}
	if hi != "" {
		if r.hi, err = strconv.ParseInt(hi, 10, 32); err != nil {
			return rule{}, fmt.Errorf("partition %q: %w", hi, err)
		}
	}
	return r, nil
}
