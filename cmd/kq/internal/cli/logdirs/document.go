package logdirs

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/kqhq/kq/admin"
)

// The document kafka-log-dirs.sh prints. Its keys are in the order
// Kafka's Jackson writes its HashMaps (brokers before version, partitions
// before error before logDir), so the line matches Kafka's byte for byte.
type doc struct {
	Brokers []brokerDoc `json:"brokers"`
	Version int         `json:"version"`
}

type brokerDoc struct {
	Broker  int32    `json:"broker"`
	LogDirs []dirDoc `json:"logDirs"`
}

type dirDoc struct {
	Partitions []partitionDoc `json:"partitions"`
	Error      any            `json:"error"`
	LogDir     string         `json:"logDir"`
}

type partitionDoc struct {
	Partition string `json:"partition"`
	Size      int64  `json:"size"`
	OffsetLag int64  `json:"offsetLag"`
	IsFuture  bool   `json:"isFuture"`
}

// document builds the answer for brokers from their dirs, keeping the
// replicas of topics (all when empty).
func document(brokers []int32, dirs []admin.LogDir, topics []string) doc {
	d := doc{Version: 1, Brokers: []brokerDoc{}}
	for _, b := range brokers {
		bd := brokerDoc{Broker: b, LogDirs: []dirDoc{}}
		for _, dir := range dirs {
			if dir.Broker == b {
				bd.LogDirs = append(bd.LogDirs, dirDocOf(dir, topics))
			}
		}
		d.Brokers = append(d.Brokers, bd)
	}
	return d
}

func dirDocOf(dir admin.LogDir, topics []string) dirDoc {
	dd := dirDoc{LogDir: dir.Dir, Error: errorClass(dir.Err), Partitions: []partitionDoc{}}
	for _, p := range dir.Partitions {
		if len(topics) == 0 || slices.Contains(topics, p.Topic) {
			dd.Partitions = append(dd.Partitions, partitionDoc{
				Partition: fmt.Sprintf("%s-%d", p.Topic, p.Partition), Size: p.Size, OffsetLag: p.OffsetLag, IsFuture: p.IsFuture,
			})
		}
	}
	return dd
}

// text is the document on one line, as Jackson writes it.
func (d doc) text() string {
	b, err := json.Marshal(d)
	if err != nil {
		return err.Error() // unreachable: plain values only
	}
	return string(b)
}
