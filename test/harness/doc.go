// Package harness runs the real kq binary for end-to-end and client
// compatibility tests: it builds ./cmd/kq once per test binary, starts
// `kq server` processes on free loopback ports with their own data
// directories, and runs kq CLI commands, kcat and franz-go clients against
// them. Every wait polls a condition with a deadline.
package harness
