package escape

import "testing"

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		`a\tb`: "a\tb", `\n`: "\n", `\\t`: `\t`, `x\q`: `x\q`, `end\`: `end\`, `\0`: "\x00", "plain": "plain",
	} {
		if got := Unescape(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
