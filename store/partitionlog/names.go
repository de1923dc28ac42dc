package partitionlog

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// File and directory names, exactly as Kafka writes them.
const (
	logSuffix       = ".log"
	indexSuffix     = ".index"
	timeIndexSuffix = ".timeindex"
	deletedSuffix   = ".deleted" // appended to a segment file awaiting removal
	dirDeleteSuffix = "-delete"  // ends a partition dir awaiting removal

	leaderEpochFile       = "leader-epoch-checkpoint"
	partitionMetadataFile = "partition.metadata"
	recoveryPointFile     = "recovery-point-offset-checkpoint"
	replicationOffsetFile = "replication-offset-checkpoint"
	logStartOffsetFile    = "log-start-offset-checkpoint"
	metaPropertiesFile    = "meta.properties"
	cleanShutdownFile     = ".kafka_cleanshutdown"
	lockFile              = ".lock"
)

// TopicPartition names one partition.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// String is Kafka's form, <topic>-<partition>.
func (tp TopicPartition) String() string { return tp.Topic + "-" + strconv.Itoa(int(tp.Partition)) }

// dirName is the partition directory name: <topic>-<partition>.
func (tp TopicPartition) dirName() string { return tp.String() }

// parseDirName reverses dirName. Topic names may contain '-', the partition
// is what follows the last one.
func parseDirName(name string) (TopicPartition, bool) {
	i := strings.LastIndexByte(name, '-')
	if i <= 0 {
		return TopicPartition{}, false
	}
	p, err := strconv.ParseInt(name[i+1:], 10, 32)
	if err != nil || p < 0 || name[i+1:] != strconv.FormatInt(p, 10) {
		return TopicPartition{}, false
	}
	return TopicPartition{Topic: name[:i], Partition: int32(p)}, true
}

// segmentPath is <dir>/<20-digit base offset><suffix>.
func segmentPath(dir string, base int64, suffix string) string {
	return filepath.Join(dir, fmt.Sprintf("%020d%s", base, suffix))
}

// parseSegmentName returns the base offset of a "<20 digits>.log" name.
func parseSegmentName(name string) (int64, bool) {
	digits, ok := strings.CutSuffix(name, logSuffix)
	if !ok || len(digits) != 20 {
		return 0, false
	}
	base, err := strconv.ParseInt(digits, 10, 64)
	return base, err == nil && base >= 0
}
