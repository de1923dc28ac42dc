package snapshot

// KnownMessages sums the messages of the partitions whose offsets were
// read, and counts those whose were not (no leader, a failed request):
// with unknown > 0 the sum is a lower bound, and with it equal to the
// partition count there is no sum at all.
func (t Topic) KnownMessages() (n int64, unknown int) {
	for _, p := range t.Partitions {
		m := p.Messages()
		if m == Unknown {
			unknown++
			continue
		}
		n += m
	}
	return n, unknown
}
