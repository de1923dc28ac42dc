// Package messages is the Messages view of `kq tui`: a live tail of one
// partition, or of every partition of a topic merged by timestamp, with a
// search, a record detail pane and copy as JSON. It is a bubbletea model
// of its own (New, Init, Update, View) that the TUI shows over its other
// views and leaves when it sends ClosedMsg.
//
// # Reading
//
// A tail starts where the user says (ParseStart): oldest, newest N (the
// last N records of each partition, the default being 100), live (only new
// records), an offset, or since a time. The view looks the offsets up
// through Source.ListOffsets, then polls a Source.NewConsumer of exactly
// those partitions, one poll at a time. Failures are shown in the status
// line and retried; the view never ends on its own. s restarts the tail
// from another position.
//
// # Memory
//
// The records on show live in a buffer bounded by Limits: by default at
// most 10,000 records and 32 MiB, counting each record's key, value and
// headers plus about 160 bytes of bookkeeping; whichever bound comes first
// pushes out the oldest records. Records are copied as they come in, so a
// record kept does not keep its consumer's fetch buffer alive. Beyond the
// buffer, the view holds at most the one batch that the last poll
// returned (p pauses: nothing more is polled), and the consumer holds
// what it fetched and was not yet polled (franz-go keeps one fetch per
// broker, up to fetch.max.bytes).
//
// # Following
//
// With the cursor on the last row the view follows: new records arrive
// below and the cursor rides the newest, the oldest making room. With the
// cursor anywhere else, new records are added without moving it or the
// rows on screen; once the buffer is full the view stops polling instead
// of pushing out what is being read, and G (back to the bottom) resumes.
//
// # Searching, reading, copying
//
// / filters the records held to those whose key, value or a header matches (a
// substring, case-insensitive unless it has a capital; /regexp/ for a
// regular expression), highlighting the matches; n and N go to the next
// and previous match. enter opens a record: topic, partition, offset,
// timestamp and its type, leader epoch, headers, key and value in full,
// JSON pretty-printed, binary as a hex dump (x toggles). y copies the
// record as the line `kq consume -o json` prints (admin/recordjson), to the
// terminal's clipboard with OSC 52 and to Options.CopyFile when set.
//
// # Filtering the topic
//
// f runs an admin/recordfilter expression (the language of kq consume
// --filter) over the topic: the tail restarts from the start position (or
// the oldest record when the view shows newest N or live), each poll keeps
// only the matches, in the poll's goroutine, and counts what it read
// against the end offsets the partitions had when it began (Position, when
// the consumer has it, so transaction markers count). The status line
// shows records scanned and matched and each partition's offset; esc stops
// the scan (the matches stay), a second esc clears the filter. A / search
// that matches nothing held offers, on enter, to go on as a filter over the
// whole topic. The buffer's bound holds: reading history stalls when it is
// full, as without a filter.
//
// # Export
//
// w writes the records on show (those a search matches) to a file: the
// lines kq consume -o json prints, or CSV for a name ending in .csv. An
// existing file is kept unless the name ends with "!".
package messages
