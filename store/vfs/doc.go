// Package vfs is the filesystem the partition log works through: FS and
// File name every operation the log performs on its files, so a test can
// put a filesystem that fails under it.
//
// Two implementations:
//
//   - OS, the real filesystem. Its files are the *os.File the os package
//     opens, unwrapped: the log pays an interface call per operation, the
//     index files are memory-mapped through File.Fd, and a fetch sends a
//     segment with sendfile(2) because *os.File offers syscall.Conn.
//   - WithFaults, a wrapper that asks an Injector before each operation
//     whether it fails, and fails it as the kernel would: ENOSPC, EIO or
//     any errno inside the *os.PathError the os package returns, a torn
//     write that leaves its first bytes in the file, an fsync that reports
//     failure. Rule makes the decisions deterministic ("the third write to
//     a .log file runs out of space", "every fsync from now on fails");
//     Rules arms rules while the test runs.
//
// What does not go through a File: the index mappings themselves. Index
// entries are written to and read from memory; munmap and msync act on the
// mapping. A fault reaches them only through the operations around them
// (open, truncate, the fallocate reserving their space, the segment's fsync).
//
// There is no in-memory implementation: the log maps its indexes, which
// needs real descriptors, and a heap stand-in would be a code path the
// broker never runs. Crash tests use real files in a temporary directory
// and reopen them.
package vfs
