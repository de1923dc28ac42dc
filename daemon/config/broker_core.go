package config

import "fmt"

// Identity names this broker within the cluster.
type Identity struct {
	// BrokerID is broker.id. -1 asks for a generated id: see NeedsGeneratedID.
	BrokerID int32
	// BrokerIDGenerationEnable allows broker.id=-1 to be replaced by
	// ReservedBrokerMaxID + a sequence number from /brokers/seqid.
	BrokerIDGenerationEnable bool
	ReservedBrokerMaxID      int32
	// Rack is broker.rack, "" when unset.
	Rack                       string
	InterBrokerProtocolVersion string
}

// NeedsGeneratedID reports whether the broker must obtain its id from the
// metadata store before registering (broker.id=-1 with generation enabled).
func (id Identity) NeedsGeneratedID() bool {
	return id.BrokerID < 0 && id.BrokerIDGenerationEnable
}

// TopicCreation holds the broker's rules for creating and deleting topics.
type TopicCreation struct {
	NumPartitions            int32
	DefaultReplicationFactor int32
	AutoCreateTopicsEnable   bool
	DeleteTopicEnable        bool
}

func identityDefs() []Def {
	return []Def{
		{Name: "broker.id", Type: typeInt, Default: "-1", Importance: High,
			Doc: "Id of this broker; -1 takes reserved.broker.max.id plus a sequence number from ZooKeeper."},
		{Name: "broker.id.generation.enable", Type: typeBool, Default: "true", Importance: Medium,
			Doc: "Allow broker.id=-1 to be replaced by a generated id."},
		{Name: "reserved.broker.max.id", Type: typeInt, Default: "1000", valid: atLeast(0), Importance: Medium,
			Doc: "Highest id an operator may configure; generated ids start above it."},
		{Name: "broker.rack", Type: typeString, NullDefault: true, Importance: Medium,
			Doc: "Rack of this broker, used to spread replicas over racks."},
		{Name: "inter.broker.protocol.version", Type: typeString, Default: interBrokerProtocolDefault, valid: versionString(), Importance: Medium,
			Doc:  "Protocol version brokers use to talk to each other.",
			Note: "kq always speaks the 3.9 protocol; the value is only checked, as Kafka checks it (a known version; below 3.0-IV1, one that writes the log.message.format.version asked for)."},
	}
}

func topicCreationDefs() []Def {
	return []Def{
		{Name: "num.partitions", Type: typeInt, Default: "1", valid: atLeast(1), Importance: Medium,
			Doc: "Partition count of topics created without one (auto-creation, CreateTopics with -1)."},
		{Name: "default.replication.factor", Type: typeInt, Default: "1", Importance: Medium,
			Doc: "Replication factor of topics created without one."},
		{Name: "auto.create.topics.enable", Type: typeBool, Default: "true", Importance: High,
			Doc: "Create a topic when a client asks metadata for one that does not exist."},
		{Name: "delete.topic.enable", Type: typeBool, Default: "true", Importance: High,
			Doc: "Allow DeleteTopics; when false topics can not be deleted."},
	}
}

func fillIdentity(r *reader) Identity {
	return Identity{
		BrokerID:                   r.i32("broker.id"),
		BrokerIDGenerationEnable:   r.bool("broker.id.generation.enable"),
		ReservedBrokerMaxID:        r.i32("reserved.broker.max.id"),
		Rack:                       r.str("broker.rack"),
		InterBrokerProtocolVersion: r.str("inter.broker.protocol.version"),
	}
}

func fillTopicCreation(r *reader) TopicCreation {
	return TopicCreation{
		NumPartitions:            r.i32("num.partitions"),
		DefaultReplicationFactor: r.i32("default.replication.factor"),
		AutoCreateTopicsEnable:   r.bool("auto.create.topics.enable"),
		DeleteTopicEnable:        r.bool("delete.topic.enable"),
	}
}

// validate applies KafkaConfig's broker.id rule.
func (id Identity) validate() error {
	if id.BrokerIDGenerationEnable {
		if id.BrokerID < -1 || id.BrokerID > id.ReservedBrokerMaxID {
			return configError("broker.id", fmt.Sprintf(
				"broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id (broker.id=%d, reserved.broker.max.id=%d)",
				id.BrokerID, id.ReservedBrokerMaxID))
		}
		return nil
	}
	if id.BrokerID < 0 {
		return configError("broker.id", "broker.id must be greater than or equal to 0")
	}
	return nil
}
