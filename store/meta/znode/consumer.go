package znode

import "strconv"

// EncodeConsumerOffset writes a legacy consumer offset: a bare decimal.
func EncodeConsumerOffset(offset int64) []byte {
	return []byte(strconv.FormatInt(offset, 10))
}

// DecodeConsumerOffset reads a legacy consumer offset.
func DecodeConsumerOffset(path string, data []byte) (int64, error) {
	n, err := strconv.ParseInt(string(data), 10, 64)
	if err != nil {
		return 0, malformed(path, "want a decimal offset, got %q", data)
	}
	return n, nil
}
