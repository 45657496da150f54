//go:build !linux

package ffmpeg

import "syscall"

// procAttr has nothing to add outside Linux.
// TODO: reap children of a killed test binary on other systems.
func procAttr() *syscall.SysProcAttr { return nil }
