package dumplog

import (
	"encoding/binary"
	"fmt"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// offsetsParser is Kafka's OffsetsMessageParser for records of
// __consumer_offsets: key and value as {"type"|"version": "<v>", "data":
// <the message as Kafka's JsonConverter writes it>}.
func offsetsParser(offset int64, key, value []byte) (*string, *string) {
	if key == nil {
		return ptr(fmt.Sprintf("Error at offset %d, skipping. Failed to decode message at offset %d using offset topic decoder (message had a missing key)", offset, offset)), nil
	}
	if len(key) < 2 {
		return ptr(fmt.Sprintf("Error at offset %d, skipping. key of %d bytes", offset, len(key))), nil
	}
	version := int16(binary.BigEndian.Uint16(key))
	var k, v obj
	var err error
	switch version {
	case 0, 1:
		k, v, err = offsetCommitJSON(key, value)
	case 2:
		k, v, err = groupMetadataJSON(key, value)
	default:
		return ptr(fmt.Sprintf("Unknown record type %d at offset %d, skipping.", version, offset)), nil
	}
	if err != nil {
		return ptr(fmt.Sprintf("Error at offset %d, skipping. %v", offset, err)), nil
	}
	ks := obj{{"type", fmt.Sprint(version)}, {"data", k}}.text()
	if v == nil {
		return &ks, ptr("<DELETE>")
	}
	return &ks, ptr(obj{{"version", fmt.Sprint(valueVersion(value))}, {"data", v}}.text())
}

func valueVersion(value []byte) int16 { return int16(binary.BigEndian.Uint16(value)) }

// checkValueVersion refuses a value version outside the schema's range,
// as Kafka's serde does, before kmsg reads fields the version lacks.
func checkValueVersion(value []byte, hi int16) error {
	if len(value) < 2 {
		return fmt.Errorf("value of %d bytes", len(value))
	}
	if v := valueVersion(value); v < 0 || v > hi {
		return fmt.Errorf("unknown value version %d (supported 0 to %d)", v, hi)
	}
	return nil
}

func offsetCommitJSON(key, value []byte) (obj, obj, error) {
	var k kmsg.OffsetCommitKey
	if err := k.ReadFrom(key); err != nil {
		return nil, nil, fmt.Errorf("offset commit key: %w", err)
	}
	ko := obj{{"group", k.Group}, {"topic", k.Topic}, {"partition", k.Partition}}
	if value == nil {
		return ko, nil, nil
	}
	if err := checkValueVersion(value, 4); err != nil {
		return nil, nil, err
	}
	var v kmsg.OffsetCommitValue
	if err := v.ReadFrom(value); err != nil {
		return nil, nil, fmt.Errorf("offset commit value: %w", err)
	}
	vo := obj{{"offset", v.Offset}}
	if v.Version >= 3 {
		vo = append(vo, field{"leaderEpoch", v.LeaderEpoch})
	}
	vo = append(vo, field{"metadata", v.Metadata}, field{"commitTimestamp", v.CommitTimestamp})
	if v.Version == 1 {
		vo = append(vo, field{"expireTimestamp", v.ExpireTimestamp})
	}
	return ko, vo, nil
}

func groupMetadataJSON(key, value []byte) (obj, obj, error) {
	var k kmsg.GroupMetadataKey
	if err := k.ReadFrom(key); err != nil {
		return nil, nil, fmt.Errorf("group metadata key: %w", err)
	}
	ko := obj{{"group", k.Group}}
	if value == nil {
		return ko, nil, nil
	}
	if err := checkValueVersion(value, 4); err != nil {
		return nil, nil, err
	}
	var v kmsg.GroupMetadataValue
	if err := v.ReadFrom(value); err != nil {
		return nil, nil, fmt.Errorf("group metadata value: %w", err)
	}
	vo := obj{{"protocolType", v.ProtocolType}, {"generation", v.Generation},
		{"protocol", nullableString(v.Protocol)}, {"leader", nullableString(v.Leader)}}
	if v.Version >= 2 {
		vo = append(vo, field{"currentStateTimestamp", v.CurrentStateTimestamp})
	}
	members := make([]obj, 0, len(v.Members))
	for _, m := range v.Members {
		members = append(members, memberJSON(v.Version, v.ProtocolType == "consumer", m))
	}
	return ko, append(vo, field{"members", members}), nil
}

func memberJSON(version int16, consumer bool, m kmsg.GroupMetadataValueMember) obj {
	o := obj{{"memberId", m.MemberID}}
	if version >= 3 {
		o = append(o, field{"groupInstanceId", nullableString(m.InstanceID)})
	}
	o = append(o, field{"clientId", m.ClientID}, field{"clientHost", m.ClientHost})
	if version >= 1 {
		o = append(o, field{"rebalanceTimeout", m.RebalanceTimeoutMillis})
	}
	o = append(o, field{"sessionTimeout", m.SessionTimeoutMillis})
	var sub, asg any = m.Subscription, m.Assignment
	if consumer { // Kafka decodes the embedded consumer protocol, keeping the bytes if they do not decode
		if s, ok := subscriptionJSON(m.Subscription); ok {
			sub = s
		}
		if a, ok := assignmentJSON(m.Assignment); ok {
			asg = a
		}
	}
	return append(o, field{"subscription", sub}, field{"assignment", asg})
}

func subscriptionJSON(b []byte) (obj, bool) {
	var s kmsg.ConsumerMemberMetadata
	if len(b) < 2 || s.ReadFrom(b) != nil || s.Version < 0 {
		return nil, false
	}
	topics := s.Topics
	if topics == nil {
		topics = []string{}
	}
	o := obj{{"topics", topics}, {"userData", nullableBytes(s.UserData)}}
	if s.Version >= 1 {
		owned := make([]obj, 0, len(s.OwnedPartitions))
		for _, p := range s.OwnedPartitions {
			owned = append(owned, topicPartitionsJSON(p.Topic, p.Partitions))
		}
		o = append(o, field{"ownedPartitions", owned})
	}
	if s.Version >= 2 {
		o = append(o, field{"generationId", s.Generation})
	}
	if s.Version >= 3 {
		o = append(o, field{"rackId", nullableString(s.Rack)})
	}
	return o, true
}

func assignmentJSON(b []byte) (obj, bool) {
	var a kmsg.ConsumerMemberAssignment
	if len(b) < 2 || a.ReadFrom(b) != nil || a.Version < 0 {
		return nil, false
	}
	assigned := make([]obj, 0, len(a.Topics))
	for _, t := range a.Topics {
		assigned = append(assigned, topicPartitionsJSON(t.Topic, t.Partitions))
	}
	return obj{{"assignedPartitions", assigned}, {"userData", nullableBytes(a.UserData)}}, true
}

func topicPartitionsJSON(topic string, partitions []int32) obj {
	if partitions == nil {
		partitions = []int32{}
	}
	return obj{{"topic", topic}, {"partitions", partitions}}
}
