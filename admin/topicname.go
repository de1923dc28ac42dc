package admin

import (
	"fmt"
	"strings"
)

// MaxTopicNameLength is Kafka's limit on topic names: 255 for a file name,
// minus room for the partition suffix and the deletion marker.
const MaxTopicNameLength = 249

// ValidateTopicName checks name as Kafka's broker does before it would send
// a request, so a bad name is reported without a round trip. The messages
// are Kafka's.
func ValidateTopicName(name string) error {
	reason := invalidTopicReason(name)
	if reason == "" {
		return nil
	}
	return fmt.Errorf("Topic name is invalid: %s", reason)
}

func invalidTopicReason(name string) string {
	switch {
	case name == "":
		return "the empty string is not allowed"
	case name == ".":
		return "'.' is not allowed"
	case name == "..":
		return "'..' is not allowed"
	case len(name) > MaxTopicNameLength:
		return fmt.Sprintf("the length of '%s' is longer than the max allowed length %d", name, MaxTopicNameLength)
	case !legalTopicChars(name):
		return fmt.Sprintf("'%s' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'", name)
	}
	return ""
}

func legalTopicChars(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

// TopicHasCollisionChars reports whether name contains '.' or '_', which
// Kafka's metric names do not tell apart.
func TopicHasCollisionChars(name string) bool {
	return strings.ContainsAny(name, "._")
}

// CollisionWarning is the warning Kafka's kafka-topics prints when a new
// topic's name contains '.' or '_'.
const CollisionWarning = "WARNING: Due to limitations in metric names, topics with a period ('.') or " +
	"underscore ('_') could collide. To avoid issues it is best to use either, but not both."

// IsInternalTopic reports whether name is one of Kafka's internal topics.
func IsInternalTopic(name string) bool {
	return name == "__consumer_offsets" || name == "__transaction_state"
}
