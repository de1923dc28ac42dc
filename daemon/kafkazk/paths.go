package kafkazk

import "github.com/kqhq/kq/store/meta/znode"

// Short names for the znode paths used here; store/meta/znode owns them.
var (
	brokerIDsPath       = znode.BrokerIDsPath
	topicsPath          = znode.TopicsPath
	controllerPath      = znode.ControllerPath
	controllerEpochPath = znode.ControllerEpochPath
	deleteTopicsPath    = znode.DeleteTopicsPath
	configChangesPath   = znode.ConfigChangesPath
	producerIDBlockPath = znode.ProducerIDBlockPath
	brokerSeqIDPath     = znode.BrokerSeqIDPath
	clusterIDPath       = znode.ClusterIDPath

	brokerPath      = znode.BrokerPath
	topicPath       = znode.TopicPath
	partitionsPath  = znode.TopicPartitionsPath
	partitionPath   = znode.PartitionPath
	statePath       = znode.PartitionStatePath
	deleteTopicPath = znode.DeleteTopicPath
	configPath      = znode.ConfigEntityPath
)
