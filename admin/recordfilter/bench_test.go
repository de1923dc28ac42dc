package recordfilter

import "testing"

// BenchmarkMatch measures one record through typical filters: text terms,
// a header term and a JSONPath term (which decodes the value).
func BenchmarkMatch(b *testing.B) {
	for _, expr := range []string{"needle", "key=user-7 or value~total", "header.source=billing", "$.user.id=7", "$.items[?@.price>50].sku=A1"} {
		f, err := Parse(expr, now)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(expr, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f.Match(&order)
			}
		})
	}
}
