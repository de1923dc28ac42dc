package embedded

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/kqhq/kq/store/meta"
)

const snapshotMagic = "KQMETA1\n"

// encodeSnapshot serialises the whole tree, parents before children, as
// of transaction zxid. Ephemeral nodes are included: journal records after
// the snapshot may still delete them.
func encodeSnapshot(t *tree, zxid int64) []byte {
	paths := make([]string, 0, len(t.nodes))
	for p := range t.nodes {
		paths = append(paths, p)
	}
	sort.Strings(paths) // a parent is a prefix of its children: it sorts first
	buf := append([]byte(nil), snapshotMagic...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(zxid))
	buf = binary.AppendUvarint(buf, uint64(len(paths)))
	for _, p := range paths {
		buf = appendNode(buf, p, t.nodes[p])
	}
	return binary.BigEndian.AppendUint32(buf, checksum(buf))
}

func appendNode(buf []byte, path string, n *node) []byte {
	buf = appendBytes(buf, []byte(path))
	buf = appendBytes(buf, n.data)
	for _, v := range []int64{n.czxid, n.mzxid, n.pzxid, n.ctime, n.mtime,
		int64(n.version), int64(n.created), n.ephemeralOwner} {
		buf = binary.AppendVarint(buf, v)
	}
	return buf
}

// decodeSnapshot rebuilds the tree a snapshot holds.
func decodeSnapshot(b []byte) (*tree, int64, error) {
	if len(b) < len(snapshotMagic)+4 || string(b[:len(snapshotMagic)]) != snapshotMagic {
		return nil, 0, fmt.Errorf("%w: not a snapshot", ErrCorrupt)
	}
	body := b[:len(b)-4]
	if binary.BigEndian.Uint32(b[len(b)-4:]) != checksum(body) {
		return nil, 0, fmt.Errorf("%w: snapshot checksum mismatch", ErrCorrupt)
	}
	r := reader{b: body[len(snapshotMagic):]}
	zxid := int64(r.u64())
	count := r.uvarint()
	t := &tree{nodes: make(map[string]*node), ephemerals: map[int64]map[string]struct{}{}}
	for i := uint64(0); i < count && r.err == nil; i++ {
		if err := t.insert(r.node()); err != nil {
			return nil, 0, err
		}
	}
	if err := r.done(); err != nil {
		return nil, 0, err
	}
	if t.nodes["/"] == nil {
		return nil, 0, fmt.Errorf("%w: snapshot without root", ErrCorrupt)
	}
	return t, zxid, nil
}

type namedNode struct {
	path string
	n    *node
}

func (r *reader) node() namedNode {
	nn := namedNode{path: string(r.bytes()), n: &node{children: map[string]struct{}{}}}
	n := nn.n
	n.data = r.bytes()
	n.czxid, n.mzxid, n.pzxid = r.varint(), r.varint(), r.varint()
	n.ctime, n.mtime = r.varint(), r.varint()
	n.version, n.created = r.int32(), r.int32()
	n.ephemeralOwner = r.varint()
	return nn
}

// insert adds a decoded node below its already inserted parent.
func (t *tree) insert(nn namedNode) error {
	if nn.path == "/" {
		t.nodes["/"] = nn.n
		return nil
	}
	if err := meta.ValidatePath(nn.path); err != nil {
		return fmt.Errorf("%w: snapshot node: %v", ErrCorrupt, err)
	}
	parent := t.nodes[meta.Parent(nn.path)]
	if parent == nil || t.nodes[nn.path] != nil {
		return fmt.Errorf("%w: snapshot node %s out of order", ErrCorrupt, nn.path)
	}
	parent.children[meta.Base(nn.path)] = struct{}{}
	t.nodes[nn.path] = nn.n
	if nn.n.ephemeralOwner != 0 {
		t.addEphemeral(nn.n.ephemeralOwner, nn.path)
	}
	return nil
}

// writeSnapshot replaces the snapshot file atomically: write a temporary
// file, fsync it, rename it over the old one, fsync the directory.
func writeSnapshot(dir string, data []byte) error {
	tmp := filepath.Join(dir, snapshotTmpName)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, snapshotName))
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("write snapshot in %s: %w", dir, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
