package admin

import (
	"strings"
	"testing"
)

func TestValidateTopicName(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string
	}{
		{"orders", ""},
		{"a.b_c-D9", ""},
		{strings.Repeat("x", 249), ""},
		{"", "Topic name is invalid: the empty string is not allowed"},
		{".", "Topic name is invalid: '.' is not allowed"},
		{"..", "Topic name is invalid: '..' is not allowed"},
		{strings.Repeat("x", 250), "is longer than the max allowed length 249"},
		{"a b", "Topic name is invalid: 'a b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"},
		{"é", "contains one or more characters"},
	}
	for _, tt := range tests {
		err := ValidateTopicName(tt.name)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%q: unexpected %v", tt.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%q: got %v, want %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestTopicHasCollisionChars(t *testing.T) {
	for name, want := range map[string]bool{"a.b": true, "a_b": true, "a-b": false} {
		if got := TopicHasCollisionChars(name); got != want {
			t.Errorf("%q: got %v", name, got)
		}
	}
}
