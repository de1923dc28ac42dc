// Package components are the TUI's building blocks that know nothing of
// Kafka: a table that fits its columns to the terminal width, a cursor that
// stays on its row across refreshes, and number formatting.
package components
