package recordbatch

// MaxInflation is how many times the largest batch it may arrive in a
// batch's records may decompress to. Kafka sets no bound; without one a
// 1 MiB batch of compressed zeros makes the broker inflate and hold a
// gigabyte. 64 is well above real compression ratios of whole batches.
const MaxInflation = 64

// Limit is the decompressed size allowed to a batch that arrives under
// max.message.bytes maxMessageBytes (a produce, a legacy message set):
// MaxInflation times it, 64 MiB by default.
func Limit(maxMessageBytes int32) int64 { return MaxInflation * int64(maxMessageBytes) }

// StoredLimit is Limit for batches read back from a log (timestamp
// lookups, the cleaner, markers, down-conversion): they passed the bound
// once, possibly under a larger max.message.bytes than the topic has now,
// or came from a leader, so they get the bound of a 16 MiB batch (1 GiB).
const StoredLimit = MaxInflation * (16 << 20)
