package iostreams

import "testing"

func TestColorEnabled(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	tests := []struct {
		name     string
		env      map[string]string
		tty      bool
		noColor  bool
		want     bool
		wantBold string
	}{
		{"terminal", nil, true, false, true, "\x1b[1mx\x1b[0m"},
		{"pipe", nil, false, false, false, "x"},
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, true, false, false, "x"},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, true, false, false, "x"},
		{"--no-color", nil, true, true, false, "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &IOStreams{stdoutTTY: tt.tty, colorAllowed: envAllowsColor(env(tt.env))}
			if tt.noColor {
				s.DisableColor()
			}
			if got := s.ColorEnabled(); got != tt.want {
				t.Fatalf("ColorEnabled = %v", got)
			}
			if got := s.ColorScheme().Bold("x"); got != tt.wantBold {
				t.Fatalf("Bold = %q", got)
			}
		})
	}
}
