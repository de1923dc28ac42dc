package server

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/twmb/franz-go/pkg/kbin"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// rawRequest frames a header v1 and body bytes by hand, for requests kmsg
// would not produce.
func rawRequest(key, version int16, corr int32, body []byte) []byte {
	b := kbin.AppendInt32(nil, 0)
	b = kbin.AppendInt16(b, key)
	b = kbin.AppendInt16(b, version)
	b = kbin.AppendInt32(b, corr)
	b = kbin.AppendNullableString(b, kmsg.StringPtr("raw"))
	b = append(b, body...)
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	return b
}

func sizePrefix(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }

// Protocol violations close the offending connection, for the right reason,
// before the Handler sees anything, and other connections keep working.
func TestViolationsCloseConnection(t *testing.T) {
	tests := []struct {
		name      string
		bytes     []byte
		closeSend bool // half-close after sending, for truncation
		reason    reasonKind
	}{
		{"2 GiB size prefix", sizePrefix(1 << 31), false, reasonRequestTooLarge},
		{"size above max", sizePrefix(1<<20 + 1), false, reasonRequestTooLarge},
		{"negative size", sizePrefix(0xffffffff), false, reasonRequestTooLarge},
		{"empty frame", sizePrefix(0), false, reasonProtocolError},
		{"truncated header", append(sizePrefix(3), 0, 3, 0), false, reasonProtocolError},
		{"truncated frame", append(sizePrefix(100), 0, 3, 0, 1, 0, 0, 0, 1), true, reasonProtocolError},
		{"truncated size prefix", []byte{0, 0}, true, reasonProtocolError},
		{"garbage body", rawRequest(3, 1, 1, []byte{0, 0, 0, 5}), false, reasonProtocolError},
		{"unknown key", rawRequest(1000, 0, 1, nil), false, reasonUnsupported},
		{"negative key", rawRequest(-1, 0, 1, nil), false, reasonUnsupported},
		{"key not served", rawRequest(19, 0, 1, nil), false, reasonUnsupported},
		{"version above served", rawRequest(3, 13, 1, nil), false, reasonUnsupported},
		{"version below served", rawRequest(0, 2, 1, nil), false, reasonUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newFakeHandler()
			s := startServer(t, Config{MaxRequestSize: 1 << 20}, h)
			other := dialClient(t, s.addr)
			other.roundTrip()
			c := dialClient(t, s.addr)
			c.write(tt.bytes)
			if tt.closeSend {
				if err := c.nc.(*net.TCPConn).CloseWrite(); err != nil {
					t.Fatal(err)
				}
			}
			c.expectClosed()
			waitFor(t, "close counted", func() bool { return s.closedCount(tt.reason) == 1 })
			other.roundTrip()
			if got := h.handledIDs(); len(got) != 2 {
				t.Errorf("handler saw %v, want only the other connection's two requests", got)
			}
		})
	}
}

// A clean close between requests, after the responses owed were read.
func TestClientCloseIsCounted(t *testing.T) {
	s := startServer(t, Config{}, newFakeHandler())
	c := dialClient(t, s.addr)
	c.roundTrip()
	if err := c.nc.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "client close counted", func() bool { return s.closedCount(reasonClientClosed) == 1 })
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name    string
		frame   []byte
		want    header
		restLen int
		wantErr bool
	}{
		{"v1 with client id", rawRequest(3, 1, 7, []byte{1, 2})[4:], header{3, 1, 7, "raw"}, 2, false},
		{"null client id", []byte{0, 3, 0, 1, 0, 0, 0, 7, 0xff, 0xff}, header{3, 1, 7, ""}, 0, false},
		{"controlled shutdown v0 has no client id", []byte{0, 7, 0, 0, 0, 0, 0, 9, 0, 0, 0, 1}, header{7, 0, 9, ""}, 4, false},
		{"client id longer than frame", []byte{0, 3, 0, 1, 0, 0, 0, 7, 0, 9, 'a'}, header{}, 0, true},
		{"eight bytes", []byte{0, 3, 0, 1, 0, 0, 0, 7}, header{}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rest, err := parseHeader(tt.frame)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want || len(rest) != tt.restLen {
				t.Errorf("got %+v with %d bytes left, want %+v with %d", got, len(rest), tt.want, tt.restLen)
			}
		})
	}
}

func TestSkipTags(t *testing.T) {
	tests := []struct {
		name    string
		src     []byte
		left    int
		wantErr bool
	}{
		{"none", []byte{0, 9}, 1, false},
		{"one tag", []byte{1, 5, 2, 'a', 'b', 9}, 1, false},
		{"2^32 tags claimed", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 0, true},
		{"tag longer than input", []byte{1, 5, 9, 'a'}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rest, err := skipTags(tt.src)
			if (err != nil) != tt.wantErr || len(rest) != tt.left {
				t.Errorf("skipTags = %d bytes left, err %v; want %d, error %v", len(rest), err, tt.left, tt.wantErr)
			}
		})
	}
}
