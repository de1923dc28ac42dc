package kafkazk

import (
	"fmt"
	"strconv"
)

// Kafka's znode paths.
const (
	clusterIDPath          = "/cluster/id"
	brokerIDsPath          = "/brokers/ids"
	topicsPath             = "/brokers/topics"
	controllerPath         = "/controller"
	controllerEpochPath    = "/controller_epoch"
	deleteTopicsPath       = "/admin/delete_topics"
	configChangesPath      = "/config/changes"
	configChangePrefix     = "config_change_"
	producerIDBlockPath    = "/latest_producer_id_block"
	isrChangeNotifications = "/isr_change_notification"
)

// persistentPaths are created at startup, as Kafka's broker does.
var persistentPaths = []string{
	"/consumers", brokerIDsPath, topicsPath, configChangesPath, "/admin/delete_topics",
	"/brokers/seqid", isrChangeNotifications, "/latest_producer_id_block", "/log_dir_event_notification",
	"/config/topics", "/config/clients", "/config/users", "/config/brokers", "/config/ips",
}

func brokerPath(id int32) string { return brokerIDsPath + "/" + strconv.Itoa(int(id)) }
func topicPath(t string) string  { return topicsPath + "/" + t }
func partitionsPath(t string) string {
	return topicPath(t) + "/partitions"
}
func partitionPath(t string, p int32) string {
	return fmt.Sprintf("%s/%d", partitionsPath(t), p)
}
func statePath(t string, p int32) string        { return partitionPath(t, p) + "/state" }
func deleteTopicPath(t string) string           { return deleteTopicsPath + "/" + t }
func configPath(entityType, name string) string { return "/config/" + entityType + "/" + name }
