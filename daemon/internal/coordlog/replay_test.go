package coordlog

import (
	"errors"
	"strings"
	"testing"
)

// fakeLog holds one-byte "batches": byte i is offset start+i.
type fakeLog struct {
	start int64
	data  []byte
}

func (f fakeLog) Bounds(int32) (int64, int64, error) {
	return f.start, f.start + int64(len(f.data)), nil
}

func (f fakeLog) Read(_ int32, offset int64, maxBytes int32) ([]byte, error) {
	i := offset - f.start
	return f.data[i:min(int64(len(f.data)), i+int64(maxBytes))], nil
}

// decodeFrom decodes bytes as records; a byte 0 is a torn batch that ends
// the read before it.
func decodeFrom(offset *int64) func([]byte) ([]byte, int64, error) {
	return func(data []byte) ([]byte, int64, error) {
		var recs []byte
		for _, b := range data {
			if b == 0 {
				break
			}
			recs = append(recs, b)
		}
		*offset += int64(len(recs))
		return recs, *offset, nil
	}
}

func TestReplay(t *testing.T) {
	for _, tt := range []struct {
		name    string
		log     fakeLog
		stopAt  int // keepGoing turns false after this many records (-1 never)
		want    string
		wantErr string
	}{
		{name: "whole partition, several reads", log: fakeLog{start: 5, data: []byte("abcdefg")}, stopAt: -1, want: "abcdefg"},
		{name: "empty partition", log: fakeLog{start: 3}, stopAt: -1, want: ""},
		{name: "partition lost meanwhile", log: fakeLog{data: []byte("abcdefg")}, stopAt: 3, want: "abc"},
		{name: "no whole batch in a read", log: fakeLog{data: []byte("ab\x00cd")}, stopAt: -1, want: "ab", wantErr: "raise some.buffer.size"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			offset := tt.log.start
			var got []byte
			keepGoing := func() bool { return tt.stopAt < 0 || len(got) < tt.stopAt }
			err := Replay(tt.log, 0, 3, "some.buffer.size", keepGoing, decodeFrom(&offset), func(r byte) { got = append(got, r) })
			if string(got) != tt.want {
				t.Errorf("applied %q, want %q", got, tt.want)
			}
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("err %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestReplayReadError(t *testing.T) {
	boom := errors.New("boom")
	err := Replay[byte](failingLog{boom}, 0, 3, "k", func() bool { return true },
		func([]byte) ([]byte, int64, error) { return nil, 0, nil }, func(byte) {})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want the read's", err)
	}
}

type failingLog struct{ err error }

func (failingLog) Bounds(int32) (int64, int64, error)         { return 0, 1, nil }
func (f failingLog) Read(int32, int64, int32) ([]byte, error) { return nil, f.err }
