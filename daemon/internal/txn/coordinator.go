package txn

// Coordinator is the transaction coordinator of one broker.
// (Skeleton: the state machine is being built.)
type Coordinator struct{}
