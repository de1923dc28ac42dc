package partitionlog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/kqhq/kq/store/vfs"
)

// Kafka's checkpoint files (recovery-point-offset-checkpoint,
// replication-offset-checkpoint, log-start-offset-checkpoint,
// leader-epoch-checkpoint) share one text layout:
//
//	0            <- version
//	2            <- number of entries
//	my-topic 0 42
//	my-topic 1 17
//
// They are replaced atomically: write <name>.tmp, fsync, rename, fsync dir.

const checkpointVersion = 0

// writeCheckpointFile writes the entries (space-separated fields per line).
func writeCheckpointFile(fsys vfs.FS, path string, entries []string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d\n%d\n", checkpointVersion, len(entries))
	for _, e := range entries {
		b.WriteString(e)
		b.WriteByte('\n')
	}
	return writeFileAtomic(fsys, path, b.Bytes())
}

// writeFileAtomic replaces path with data so a crash leaves either the old
// or the new content, never a mix.
func writeFileAtomic(fsys vfs.FS, path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := fsys.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = fsys.Rename(tmp, path)
	}
	if err == nil {
		err = fsys.SyncDir(filepath.Dir(path))
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// errBadCheckpoint marks a checkpoint file that does not parse.
var errBadCheckpoint = errors.New("malformed checkpoint file")

// readCheckpointFile returns the entry lines split into fields, each line
// having exactly width fields. A missing file is an empty checkpoint.
func readCheckpointFile(fsys vfs.FS, path string, width int) ([][]string, error) {
	data, err := vfs.ReadFile(fsys, path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	version, okV := scanInt(sc)
	count, okC := scanInt(sc)
	if !okV || !okC || version != checkpointVersion || count < 0 {
		return nil, fmt.Errorf("%s: bad version or count: %w", path, errBadCheckpoint)
	}
	var out [][]string
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != width {
			return nil, fmt.Errorf("%s: line %q: %w", path, sc.Text(), errBadCheckpoint)
		}
		out = append(out, fields)
	}
	if len(out) != int(count) {
		return nil, fmt.Errorf("%s: %d entries, header says %d: %w", path, len(out), count, errBadCheckpoint)
	}
	return out, nil
}

func scanInt(sc *bufio.Scanner) (int64, bool) {
	if !sc.Scan() {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(sc.Text()), 10, 64)
	return v, err == nil
}

// writeOffsetCheckpoint writes "topic partition offset" lines.
func writeOffsetCheckpoint(fsys vfs.FS, path string, offsets map[TopicPartition]int64) error {
	entries := make([]string, 0, len(offsets))
	for tp, o := range offsets {
		entries = append(entries, fmt.Sprintf("%s %d %d", tp.Topic, tp.Partition, o))
	}
	slices.Sort(entries) // stable files are easier to read and diff
	return writeCheckpointFile(fsys, path, entries)
}

// readOffsetCheckpoint parses "topic partition offset" lines.
func readOffsetCheckpoint(fsys vfs.FS, path string) (map[TopicPartition]int64, error) {
	lines, err := readCheckpointFile(fsys, path, 3)
	if err != nil {
		return nil, err
	}
	out := make(map[TopicPartition]int64, len(lines))
	for _, f := range lines {
		p, errP := strconv.ParseInt(f[1], 10, 32)
		o, errO := strconv.ParseInt(f[2], 10, 64)
		if errP != nil || errO != nil {
			return nil, fmt.Errorf("%s: line %q: %w", path, strings.Join(f, " "), errBadCheckpoint)
		}
		out[TopicPartition{Topic: f[0], Partition: int32(p)}] = o
	}
	return out, nil
}
