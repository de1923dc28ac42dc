// Package tui is `kq tui`: a live terminal view of a Kafka cluster in the
// k9s tradition, built with bubbletea, bubbles and lipgloss (v1).
//
// # Pieces
//
//   - snapshot: the data layer. Every --refresh the model runs
//     snapshot.Collect through admin and keeps the immutable Snapshot it
//     returns; views only read snapshots.
//   - pages: Brokers, Topics and the Partitions of a topic, each turning a
//     snapshot into table rows and a line explaining the selected row.
//   - components: a width-aware table and a cursor that follows its row
//     across refreshes; styles and keymap hold the look and the keys.
//   - This package: the Model (Update and View) that polls, navigates
//     (enter drills down, esc goes back, tab switches view), filters (/),
//     runs commands (:topics, :brokers, :partitions T) and shows help (?).
//
// # Failures
//
// Nothing the cluster does ends the program. When metadata cannot be read
// the status line says the cluster is unreachable, the last snapshot stays
// on screen with its age, and the next refresh tries again. A partial
// refresh (offsets or configs missing) shows what it has and names the
// failure.
//
// # Seams
//
// Consumer groups (Groups and group lag views, consume rates) and the
// actions (create, delete, add partitions, reset offsets, elect leaders,
// all hidden by --read-only) come next: groups as a snapshot field and a
// page, actions as confirmed commands of the palette.
package tui
