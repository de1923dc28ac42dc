package znode

import (
	"fmt"
	"strconv"
	"strings"
)

// Fixed paths of Kafka's layout.
const (
	ClusterIDPath                = "/cluster/id"
	BrokersPath                  = "/brokers"
	BrokerIDsPath                = "/brokers/ids"
	BrokerSeqIDPath              = "/brokers/seqid"
	TopicsPath                   = "/brokers/topics"
	ControllerPath               = "/controller"
	ControllerEpochPath          = "/controller_epoch"
	AdminPath                    = "/admin"
	DeleteTopicsPath             = "/admin/delete_topics"
	ReassignPartitionsPath       = "/admin/reassign_partitions"
	PreferredReplicaElectionPath = "/admin/preferred_replica_election"
	IsrChangeNotificationPath    = "/isr_change_notification"
	LogDirEventNotificationPath  = "/log_dir_event_notification"
	ConfigPath                   = "/config"
	ConfigChangesPath            = "/config/changes"
	ProducerIDBlockPath          = "/latest_producer_id_block"
	ConsumersPath                = "/consumers"
	FeaturePath                  = "/feature"
	ACLPath                      = "/kafka-acl"
	ExtendedACLPath              = "/kafka-acl-extended"
	ACLChangesPath               = "/kafka-acl-changes"
	ExtendedACLChangesPath       = "/kafka-acl-extended-changes"
)

// Sequential notification nodes: create with a sequential mode at the
// *SeqPrefix path; the name is the prefix plus SequenceDigits digits.
const (
	IsrChangePrefix            = "isr_change_"
	LogDirEventPrefix          = "log_dir_event_"
	ConfigChangePrefix         = "config_change_"
	ACLChangePrefix            = "acl_changes_"
	IsrChangeSeqPrefix         = IsrChangeNotificationPath + "/" + IsrChangePrefix
	LogDirEventSeqPrefix       = LogDirEventNotificationPath + "/" + LogDirEventPrefix
	ConfigChangeSeqPrefix      = ConfigChangesPath + "/" + ConfigChangePrefix
	ACLChangeSeqPrefix         = ACLChangesPath + "/" + ACLChangePrefix
	ExtendedACLChangeSeqPrefix = ExtendedACLChangesPath + "/" + ACLChangePrefix
	SequenceDigits             = 10
)

// Config entity types (Kafka's ConfigType) and the default entity's name.
const (
	ConfigTypeTopic     = "topics"
	ConfigTypeBroker    = "brokers"
	ConfigTypeUser      = "users"
	ConfigTypeClient    = "clients"
	ConfigTypeIP        = "ips"
	DefaultConfigEntity = "<default>"
)

// PersistentPaths are the nodes every broker makes sure exist when it
// starts (Kafka's ZkData.PersistentZkPaths), parents first.
func PersistentPaths() []string {
	return []string{
		ConsumersPath, BrokerIDsPath, TopicsPath, ConfigChangesPath, DeleteTopicsPath,
		BrokerSeqIDPath, IsrChangeNotificationPath, ProducerIDBlockPath, LogDirEventNotificationPath,
		ConfigEntityTypePath(ConfigTypeTopic), ConfigEntityTypePath(ConfigTypeClient),
		ConfigEntityTypePath(ConfigTypeUser), ConfigEntityTypePath(ConfigTypeBroker),
		ConfigEntityTypePath(ConfigTypeIP),
	}
}

// BrokerPath is the ephemeral registration of broker id.
func BrokerPath(id int32) string { return BrokerIDsPath + "/" + strconv.Itoa(int(id)) }

// TopicPath holds the replica assignment of topic.
func TopicPath(topic string) string { return TopicsPath + "/" + topic }

// TopicPartitionsPath is the parent of topic's partition nodes.
func TopicPartitionsPath(topic string) string {
	return TopicPath(topic) + "/partitions"
}

// PartitionPath is the parent of a partition's state node.
func PartitionPath(topic string, partition int32) string {
	return TopicPartitionsPath(topic) + "/" + strconv.Itoa(int(partition))
}

// PartitionStatePath holds a partition's leader, ISR and epochs.
func PartitionStatePath(topic string, partition int32) string {
	return PartitionPath(topic, partition) + "/state"
}

// DeleteTopicPath marks topic for deletion.
func DeleteTopicPath(topic string) string { return DeleteTopicsPath + "/" + topic }

// ConfigEntityTypePath is the parent of one entity type's configs
// (ConfigTypeTopic, ConfigTypeBroker, ...).
func ConfigEntityTypePath(entityType string) string { return ConfigPath + "/" + entityType }

// ConfigEntityPath holds the dynamic config of one entity; name is
// DefaultConfigEntity for the cluster-wide default, and for users and
// clients a sanitized name (see SanitizeEntityName).
func ConfigEntityPath(entityType, name string) string {
	return ConfigEntityTypePath(entityType) + "/" + name
}

// ConsumerOffsetPath is a pre-0.9 consumer's committed offset.
func ConsumerOffsetPath(group, topic string, partition int32) string {
	return fmt.Sprintf("%s/%s/offsets/%s/%d", ConsumersPath, group, topic, partition)
}

// ACLResourcePath holds the literal-pattern ACLs of one resource
// (resourceType as Kafka names it: Topic, Group, Cluster, ...).
func ACLResourcePath(resourceType, name string) string {
	return ACLPath + "/" + resourceType + "/" + name
}

// ExtendedACLResourcePath holds the ACLs of a non-literal pattern
// (patternType "prefixed").
func ExtendedACLResourcePath(patternType, resourceType, name string) string {
	return ExtendedACLPath + "/" + strings.ToLower(patternType) + "/" + resourceType + "/" + name
}

// SequenceNumber returns the counter ZooKeeper appended to a sequential
// node's name, given the prefix it was created with.
func SequenceNumber(name, prefix string) (int64, error) {
	name = name[strings.LastIndexByte(name, '/')+1:]
	digits, ok := strings.CutPrefix(name, prefix)
	if !ok || len(digits) != SequenceDigits {
		return 0, fmt.Errorf("%q is not a sequential node named %q + %d digits", name, prefix, SequenceDigits)
	}
	n, err := strconv.ParseInt(digits, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%q: sequence number: %w", name, err)
	}
	return n, nil
}
