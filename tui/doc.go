// Package tui is `kq tui`: a live terminal view of a Kafka cluster in the
// k9s tradition, built with bubbletea, bubbles and lipgloss (v1).
//
// # Pieces
//
//   - snapshot: the data layer. Every --refresh the model runs
//     snapshot.Collect through admin and keeps the immutable Snapshot it
//     returns; views only read snapshots.
//   - pages: Brokers, Topics, the Partitions of a topic (with the last
//     stable offset, marked below the high watermark: an open
//     transaction holding read_committed consumers back), Groups and the
//     lag of a group, Transactions (open ones past their timeout
//     marked), and the Configs of a topic or a broker, each turning a
//     snapshot into table rows and a line explaining the selected row.
//     Configs are the exception to "views only read snapshots": the model
//     reads them with DescribeConfigs when the view opens and after each
//     refresh while it is on the stack (configview.go), since every
//     topic's configs in every snapshot would be heavy.
//   - messages: the Messages view, its own bubbletea model: tails a
//     partition or a topic from a chosen position into a bounded buffer,
//     searches it, filters the whole topic (admin/recordfilter, the
//     language of kq consume --filter) with a progress line, shows a
//     record in full, copies it as the JSON line kq consume -o json
//     prints and exports what it shows as such lines or CSV. It is opened with m, enter on a partition
//     or :messages, and the refreshes go on underneath. R on a record
//     hands it (messages.ResendMsg) to the produce dialog, drawn over the
//     view.
//   - components: a width-aware table and a cursor that follows its row
//     across refreshes; styles and keymap hold the look and the keys.
//   - This package: the Model (Update and View) that polls, navigates
//     (enter drills down, a broker to its configs; esc goes back, tab
//     switches view), filters (/,
//     k9s's syntax: regex, !inverse, -f fuzzy), sorts (shift+letter),
//     runs commands (:topics, :brokers, :groups, :transactions [ID],
//     :partitions T, :lag G, :messages T [P], :configs [T | broker ID],
//     :acls [PRINCIPAL], :topic-acls [T]), switches
//     cluster between the config file's profiles (:ctx NAME, through the
//     Profiles interface; refreshes of the cluster left are dropped by a
//     generation number) and shows help (?). --mouse adds click and wheel.
//
// # Failures
//
// Nothing the cluster does ends the program. When metadata cannot be read
// the status line says the cluster is unreachable, the last snapshot stays
// on screen with its age, and the next refresh tries again. A partial
// refresh (offsets or configs missing) shows what it has and names the
// failure. Offsets are kept partition by partition: one without a leader
// (or whose leader did not answer) is "—" alone, a topic total over it
// is marked ≥ (at least) with the detail line saying how many partitions
// it leaves out, and a rate is measured from the last high watermark
// read, so an unread refresh does not blank the next one.
//
// # Actions
//
// Ten actions change the cluster: create a topic (c, with name=value
// configs), add partitions (+), delete a topic (ctrl+d), elect preferred
// leaders (e), reset a group's offsets (o), delete a group (ctrl+d on a
// group) or its offsets of a topic (x), abort an open transaction (a),
// produce a record (ctrl+p, or R on a record of the Messages view) and
// change a config (e in a configs view: IncrementalAlterConfigs SET, or
// DELETE of the override when the answer is empty; its preview asks the
// broker first with validate_only), each also a palette command.
// A prompt may be filled in advance (a config's value, a resent record's
// fields), secret (a sensitive config, echoed as dots and never shown) or
// long (ctrl+e writes it in $VISUAL or $EDITOR through tea.ExecProcess, or
// in a multi-line box without one, editor.go). An action is a dialog: its
// prompts are asked one at a time in the footer, then a plan shows what
// will happen (a reset's plan is Kafka's dry run, current -> new offset per
// partition, read from the cluster with admin.PlanReset; an abort's is the
// producer id, epoch and coordinator epoch each partition's leader reports
// for the transaction's producer, read with DescribeProducers, then one
// AbortTransaction per partition) and one question
// lets it: y, or for a deletion the topic's name typed out. Nothing is
// changed before that answer, and esc cancels until then. The outcome is
// shown in the status line and the view refreshes at once. --read-only
// hides the actions from the footer and the help and refuses their keys
// and commands. Each action is found on the Source by interface
// (CreateTopic..., ElectLeaders, CommitGroupOffsets, DeleteGroups,
// DeleteGroupOffsets, DescribeProducers, AbortTransaction, DescribeConfigs
// and AlterConfigs), as *admin.Client has them; a source without one says
// so instead. A record is produced through Options.NewProducer, one
// producer per record (acks=all, idempotent), and the dialog says the
// partition and offset written or the broker's error in full.
package tui
