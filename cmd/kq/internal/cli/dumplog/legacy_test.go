package dumplog

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"strconv"
	"strings"
	"testing"
)

// legacyMessage encodes a magic 0 or 1 message (see store/logdump).
func legacyMessage(offset int64, magic int8, ts int64, key, value []byte) []byte {
	body := []byte{byte(magic), 0}
	if magic == 1 {
		body = binary.BigEndian.AppendUint64(body, uint64(ts))
	}
	for _, f := range [][]byte{key, value} {
		if f == nil {
			body = binary.BigEndian.AppendUint32(body, math.MaxUint32)
			continue
		}
		body = append(binary.BigEndian.AppendUint32(body, uint32(len(f))), f...)
	}
	out := binary.BigEndian.AppendUint64(nil, uint64(offset))
	out = binary.BigEndian.AppendUint32(out, uint32(4+len(body)))
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(body))
	return append(out, body...)
}

func TestDumpLegacyMessages(t *testing.T) {
	v0 := legacyMessage(0, 0, 0, []byte("k"), []byte("v0"))
	v1 := legacyMessage(1, 1, 77, nil, []byte("v1"))
	log := writeFile(t, t.TempDir(), "00000000000000000000.log", append(v0, v1...))
	out, errOut, err := runDump(t, func(f *flags) { f.printData = true }, log)
	if err != nil {
		t.Fatal(err, errOut)
	}
	crc0 := binary.BigEndian.Uint32(v0[12:])
	crc1 := binary.BigEndian.Uint32(v1[12:])
	want := []string{
		"Dumping " + log,
		"Log starting offset: 0",
		"offset: 0 position: 0 NoTimestampType: -1 size: 29 magic: 0 compresscodec: none crc: " + u32(crc0) + " isvalid: true",
		"| offset: 0 NoTimestampType: -1 keySize: 1 valueSize: 2 isValid: true crc: " + u32(crc0) + "} key: k payload: v0",
		"offset: 1 position: 29 CreateTime: 77 size: 36 magic: 1 compresscodec: none crc: " + u32(crc1) + " isvalid: true",
		"| offset: 1 CreateTime: 77 keySize: -1 valueSize: 2 isValid: true crc: " + u32(crc1) + "} payload: v1",
	}
	if got := strings.TrimSuffix(out, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

func u32(v uint32) string { return strconv.FormatUint(uint64(v), 10) }
