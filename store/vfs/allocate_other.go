//go:build !linux

package vfs

// Allocate implements FS; without fallocate(2) it reserves nothing.
func (OS) Allocate(string, int64, int64) error { return nil }
