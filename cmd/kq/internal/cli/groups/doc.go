// Package groups is `kq groups`: list, describe (lag per partition,
// members, state), reset offsets, delete groups and delete a group's
// offsets, in kafka-consumer-groups' spelling (--list, --describe,
// --reset-offsets, --delete, --delete-offsets) and as subcommands (list,
// describe, reset-offsets, delete, delete-offsets). Both fill the same
// Options and run the same code; the text output is Kafka's, -o json|yaml
// the same data structured.
package groups
