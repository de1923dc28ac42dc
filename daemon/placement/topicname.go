package placement

import (
	"errors"
	"fmt"
	"strings"
)

// MaxTopicNameLength is Kafka's limit on topic names.
const MaxTopicNameLength = 249

// ErrInvalidTopicName is returned for names Kafka refuses (INVALID_TOPIC_EXCEPTION).
var ErrInvalidTopicName = errors.New("invalid topic name")

// Internal topics Kafka protects from client writes and deletion.
const (
	ConsumerOffsetsTopic  = "__consumer_offsets"
	TransactionStateTopic = "__transaction_state"
)

// IsInternalTopic reports whether name is one of Kafka's internal topics.
func IsInternalTopic(name string) bool {
	return name == ConsumerOffsetsTopic || name == TransactionStateTopic
}

// ValidateTopicName applies Kafka's Topic.validate rules.
func ValidateTopicName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: topic name is illegal, it can't be empty", ErrInvalidTopicName)
	case name == "." || name == "..":
		return fmt.Errorf("%w: topic name cannot be \".\" or \"..\"", ErrInvalidTopicName)
	case len(name) > MaxTopicNameLength:
		return fmt.Errorf("%w: topic name is illegal, it can't be longer than %d characters, topic name: %s", ErrInvalidTopicName, MaxTopicNameLength, name)
	}
	for _, c := range name {
		if !legalTopicChar(c) {
			return fmt.Errorf("%w: topic name %q is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'", ErrInvalidTopicName, name)
		}
	}
	return nil
}

func legalTopicChar(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
}

// HasCollisionChars reports whether the name contains '.' or '_', which
// Kafka's metric names treat alike: such topics may collide.
func HasCollisionChars(name string) bool {
	return strings.ContainsAny(name, "._")
}

// UnifyCollisionChars maps '.' to '_' so colliding names compare equal.
func UnifyCollisionChars(name string) string {
	return strings.ReplaceAll(name, ".", "_")
}
