package partitionlog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kqhq/kq/store/vfs"
)

// MetaProperties is a log.dir's meta.properties in ZooKeeper mode
// (version 0): which broker and cluster the directory belongs to.
type MetaProperties struct {
	Version   int
	BrokerID  int32
	ClusterID string // empty until the broker learned it from ZooKeeper
}

// ReadMetaProperties reads <dir>/meta.properties; ok is false when the
// file does not exist.
func ReadMetaProperties(dir string) (meta MetaProperties, ok bool, err error) {
	return readMetaProperties(vfs.OS{}, dir)
}

func readMetaProperties(fsys vfs.FS, dir string) (meta MetaProperties, ok bool, err error) {
	path := filepath.Join(dir, metaPropertiesFile)
	data, err := vfs.ReadFile(fsys, path)
	if errors.Is(err, fs.ErrNotExist) {
		return meta, false, nil
	}
	if err != nil {
		return meta, false, fmt.Errorf("read %s: %w", path, err)
	}
	props := parseProperties(data)
	version, errV := strconv.Atoi(props["version"])
	broker, errB := strconv.ParseInt(props["broker.id"], 10, 32)
	if errV != nil || errB != nil {
		return meta, false, fmt.Errorf("%s: version %q broker.id %q: %w", path, props["version"], props["broker.id"], errBadCheckpoint)
	}
	return MetaProperties{Version: version, BrokerID: int32(broker), ClusterID: props["cluster.id"]}, true, nil
}

// parseProperties reads the subset of Java properties syntax Kafka writes:
// key=value lines, # comments.
func parseProperties(data []byte) map[string]string {
	props := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			props[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return props
}

// WriteMetaProperties replaces <dir>/meta.properties atomically, in the
// layout Kafka's Properties.store produces.
func WriteMetaProperties(dir string, meta MetaProperties) error {
	return writeMetaProperties(vfs.OS{}, dir, meta)
}

func writeMetaProperties(fsys vfs.FS, dir string, meta MetaProperties) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "#\n#%s\n", time.Now().UTC().Format(time.UnixDate))
	if meta.ClusterID != "" {
		fmt.Fprintf(&b, "cluster.id=%s\n", meta.ClusterID)
	}
	fmt.Fprintf(&b, "version=%d\nbroker.id=%d\n", meta.Version, meta.BrokerID)
	return writeFileAtomic(fsys, filepath.Join(dir, metaPropertiesFile), b.Bytes())
}

// checkMeta compares a directory's meta.properties with this broker's.
func checkMeta(dir string, found, want MetaProperties) error {
	if found.BrokerID != want.BrokerID {
		return fmt.Errorf("%s: broker.id %d, this broker is %d: %w", dir, found.BrokerID, want.BrokerID, ErrInconsistentMeta)
	}
	if found.ClusterID != "" && want.ClusterID != "" && found.ClusterID != want.ClusterID {
		return fmt.Errorf("%s: cluster.id %s, this cluster is %s: %w", dir, found.ClusterID, want.ClusterID, ErrInconsistentMeta)
	}
	return nil
}
