package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// errRegionTruncated means a file held fewer bytes than its region promised:
// the connection is closed, since the frame's size is already on the wire or
// would be a lie.
var errRegionTruncated = errors.New("file region shorter than promised")

// errRegionUnreadable marks a region whose file failed to read (a disk
// error): the connection is closed, as for a truncated region, and the
// close is the response's fault, not the socket's.
var errRegionUnreadable = errors.New("file region unreadable")

// regionReadError describes a read of a region's file that returned n < want
// bytes with err.
func regionReadError(fr FileRegion, off int64, want int, err error) error {
	if err == nil || errors.Is(err, io.EOF) {
		err = errRegionTruncated
	} else {
		err = fmt.Errorf("%w: %w", errRegionUnreadable, err)
	}
	return fmt.Errorf("read %d bytes at %d of %s: %w", want, off, fr.File.Name(), err)
}

// materialize is the safe path for a placeholder that cannot be spliced: each
// region is read into memory, put in the field that holds its placeholder,
// and the response encoded again as ordinary bytes.
func materialize(buf []byte, correlation int32, msg kmsg.Response, files []attachedFile) ([]byte, encoded, error) {
	for _, f := range files {
		if !bytes.Contains(buf, f.placeholder) {
			continue // unused: nothing to read
		}
		data, err := readRegion(f.FileRegion)
		if err != nil {
			return buf, encoded{}, err
		}
		replaceBytes(reflect.ValueOf(msg), f.placeholder, data)
	}
	buf = appendFrame(buf[:0], correlation, msg)
	if len(buf)-4 > math.MaxInt32 {
		return buf, encoded{}, errFrameTooLarge
	}
	return buf, encoded{parts: []part{{data: buf}}, materialized: true}, nil
}

// readRegion reads a whole region with pread.
func readRegion(fr FileRegion) ([]byte, error) {
	data := make([]byte, fr.Len)
	n, err := fr.File.ReadAt(data, fr.Pos)
	if n == len(data) {
		return data, nil
	}
	return nil, regionReadError(fr, fr.Pos, len(data), err)
}

var bytesType = reflect.TypeFor[[]byte]()

// replaceBytes walks a kmsg message (pointers, structs, slices) and sets every
// settable []byte field that shares placeholder's backing array to data.
// kmsg messages hold no cycles, so the walk ends.
func replaceBytes(v reflect.Value, placeholder, data []byte) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			replaceBytes(v.Elem(), placeholder, data)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			replaceBytes(v.Field(i), placeholder, data)
		}
	case reflect.Slice:
		if v.Type() == bytesType {
			if v.Len() == len(placeholder) && v.Len() > 0 && v.Pointer() == reflect.ValueOf(placeholder).Pointer() && v.CanSet() {
				v.SetBytes(data)
			}
			return
		}
		for i := range v.Len() {
			replaceBytes(v.Index(i), placeholder, data)
		}
	}
}
