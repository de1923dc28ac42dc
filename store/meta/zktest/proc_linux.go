package zktest

import "syscall"

// childAttrs makes the kernel kill ZooKeeper if the test binary dies
// without stopping it.
func childAttrs() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
