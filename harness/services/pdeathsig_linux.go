package services

import "syscall"

// setParentDeathSignal makes the kernel SIGKILL the child when the thread
// that started it ends (see startChild).
func setParentDeathSignal(a *syscall.SysProcAttr) error {
	a.Pdeathsig = syscall.SIGKILL
	return nil
}
