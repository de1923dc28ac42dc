package partitionlog

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/kqhq/kq/store/vfs"
)

// partition.metadata holds the topic ID in Kafka's text form:
//
//	version: 0
//	topic_id: <22-char base64url UUID>

func writePartitionMetadata(fsys vfs.FS, dir string, topicID [16]byte) error {
	content := fmt.Sprintf("version: 0\ntopic_id: %s\n", TopicIDString(topicID))
	return writeFileAtomic(fsys, filepath.Join(dir, partitionMetadataFile), []byte(content))
}

// readPartitionMetadata returns the topic ID; ok is false when the file is
// absent (logs created before topic IDs have none).
func readPartitionMetadata(fsys vfs.FS, dir string) (id [16]byte, ok bool, err error) {
	path := filepath.Join(dir, partitionMetadataFile)
	data, err := vfs.ReadFile(fsys, path)
	if errors.Is(err, fs.ErrNotExist) {
		return id, false, nil
	}
	if err != nil {
		return id, false, fmt.Errorf("read %s: %w", path, err)
	}
	fields := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, found := strings.Cut(line, ":"); found {
			fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	if fields["version"] != "0" {
		return id, false, fmt.Errorf("%s: version %q: %w", path, fields["version"], errBadCheckpoint)
	}
	id, err = ParseTopicID(fields["topic_id"])
	if err != nil {
		return id, false, fmt.Errorf("%s: %w", path, err)
	}
	return id, true, nil
}

// TopicIDString formats a topic ID as Kafka's Uuid.toString does.
func TopicIDString(id [16]byte) string { return base64.RawURLEncoding.EncodeToString(id[:]) }

// ParseTopicID reverses TopicIDString.
func ParseTopicID(s string) ([16]byte, error) {
	var id [16]byte
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 16 {
		return id, fmt.Errorf("topic id %q is not a base64url UUID: %w", s, errBadCheckpoint)
	}
	copy(id[:], b)
	return id, nil
}
