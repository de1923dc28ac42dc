package reassign

import (
	"slices"
	"testing"
)

// FuzzParsePlan feeds arbitrary bytes to the reassignment JSON reader (a
// file the user gives): it must refuse or accept without panicking, and
// what it accepts must print as JSON that reads back the same.
func FuzzParsePlan(f *testing.F) {
	for _, seed := range []string{
		planJSON,
		`{"version":1,"partitions":[]}`,
		`{"partitions":[{"topic":"t","partition":0,"replicas":[],"log_dirs":[]}]}`,
		`{"version":2}`,
		`{"partitions":[{"topic":"t","partition":-1,"replicas":[1,1],"log_dirs":["any","/d"]}]}`,
		`[1,2]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		parts, err := parsePlan(data)
		if err != nil {
			return
		}
		_ = checkExecutePlan(parts)
		again, err := parsePlan([]byte(planOf(parts).String()))
		if err != nil {
			t.Fatalf("printed plan does not read back: %v", err)
		}
		sorted := slices.Clone(parts)
		slices.SortStableFunc(sorted, comparePartitions)
		if !equalPlans(again, sorted) {
			t.Fatalf("round trip: %v became %v", sorted, again)
		}
	})
}
