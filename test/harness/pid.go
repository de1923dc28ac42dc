package harness

// Pid is the broker process's id, 0 when it is not running: tests use it
// to tell its connections from other brokers' (PairLinks).
func (b *Broker) Pid() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd == nil || b.cmd.Process == nil {
		return 0
	}
	return b.cmd.Process.Pid
}
