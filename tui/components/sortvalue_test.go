package components

import "testing"

func TestSortValue(t *testing.T) {
	tests := []struct {
		in      string
		num     float64
		isNum   bool
		missing bool
	}{
		{"18,206", 18206, true, false},
		{"⚠ 37,210", 37210, true, false},
		{"1.0", 1, true, false},
		{"4.0 KiB", 4096, true, false},
		{"2h13m", 7980e9, true, false},
		{"3m00s", 180e9, true, false},
		{"—", 0, false, true},
		{"-", 0, false, true},
		{"orders", 0, false, false},
		{"● alive", 0, false, false},
	}
	for _, tt := range tests {
		num, _, isNum, missing := SortValue(Cell{{Text: tt.in}})
		if num != tt.num || isNum != tt.isNum || missing != tt.missing {
			t.Errorf("SortValue(%q) = %v, %v, %v; want %v, %v, %v", tt.in, num, isNum, missing, tt.num, tt.isNum, tt.missing)
		}
	}
}
