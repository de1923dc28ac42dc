//go:build !linux

package zktest

import "syscall"

func childAttrs() *syscall.SysProcAttr { return nil }
