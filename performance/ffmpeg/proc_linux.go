package ffmpeg

import "syscall"

// procAttr asks Linux to kill the child when the thread that started it
// exits, which for a Go test binary means when the process dies.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
