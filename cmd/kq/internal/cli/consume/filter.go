package consume

import (
	"slices"

	"github.com/kqhq/kq/admin/recordfilter"
)

// filterPartitions keeps the partitions --filter can match: with
// partition=2 in it, only partition 2 is read, which prints the same
// records sooner. A group reads what it is assigned.
func filterPartitions(parts []int32, f *recordfilter.Filter) []int32 {
	if f == nil {
		return parts
	}
	only, ok := f.Partitions()
	if !ok {
		return parts
	}
	return slices.DeleteFunc(parts, func(p int32) bool { return !slices.Contains(only, p) })
}
