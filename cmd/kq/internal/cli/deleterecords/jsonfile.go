package deleterecords

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// offsetFile is kafka-delete-records.sh's --offset-json-file:
//
//	{"partitions": [{"topic": "foo", "partition": 1, "offset": 1}], "version": 1}
type offsetFile struct {
	Version    *int              `json:"version"`
	Partitions *[]partitionEntry `json:"partitions"`
}

type partitionEntry struct {
	Topic     *string `json:"topic"`
	Partition *int32  `json:"partition"`
	Offset    *int64  `json:"offset"`
}

// parseOffsetFile reads the file's partitions with DeleteRecordsCommand's
// checks and messages: valid JSON, version 1 (the default), a partitions
// field, each entry whole, no partition twice.
func parseOffsetFile(data []byte) (map[string]map[int32]int64, error) {
	var f offsetFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, errors.New("The input string is not a valid JSON")
	}
	if f.Version != nil && *f.Version != 1 {
		return nil, fmt.Errorf("Not supported version field value %d", *f.Version)
	}
	if f.Partitions == nil {
		return nil, errors.New("Missing partitions field")
	}
	out := map[string]map[int32]int64{}
	var dups []string
	for i, e := range *f.Partitions {
		if e.Topic == nil || e.Partition == nil || e.Offset == nil {
			return nil, fmt.Errorf("partition entry %d: topic, partition and offset are all required", i)
		}
		if out[*e.Topic] == nil {
			out[*e.Topic] = map[int32]int64{}
		}
		if _, dup := out[*e.Topic][*e.Partition]; dup {
			dups = append(dups, *e.Topic+"-"+strconv.Itoa(int(*e.Partition)))
			continue
		}
		out[*e.Topic][*e.Partition] = *e.Offset
	}
	if len(dups) > 0 {
		sort.Strings(dups)
		return nil, fmt.Errorf("Offset json file contains duplicate topic partitions: %s", strings.Join(dups, ","))
	}
	return out, nil
}
