package messages

import (
	"fmt"
	"strings"
)

// hexDump renders b as hexdump -C does, perLine bytes a line (8 or 16):
//
//	00000000  6f 72 64 65 72 2d 31 37  0a 00 ff 00 00 00 00 00  |order-17........|
func hexDump(b []byte, perLine int) []string {
	var lines []string
	for off := 0; off < len(b); off += perLine {
		chunk := b[off:min(off+perLine, len(b))]
		var l strings.Builder
		fmt.Fprintf(&l, "%08x ", off)
		for i := range perLine {
			if i%8 == 0 {
				l.WriteByte(' ')
			}
			if i < len(chunk) {
				fmt.Fprintf(&l, "%02x ", chunk[i])
			} else {
				l.WriteString("   ")
			}
		}
		l.WriteString(" |")
		for _, c := range chunk {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			l.WriteByte(c)
		}
		l.WriteByte('|')
		lines = append(lines, l.String())
	}
	return lines
}

// hexWidth is the width of a hexDump line of perLine bytes.
func hexWidth(perLine int) int { return 9 + perLine*3 + perLine/8 + 3 + perLine }
