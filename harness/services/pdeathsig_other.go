//go:build !linux

package services

import (
	"errors"
	"syscall"
)

// setParentDeathSignal fails outside Linux, which alone has a
// parent-death signal: nothing would stop a local server whose test
// binary died, so the process provider is not offered.
func setParentDeathSignal(*syscall.SysProcAttr) error {
	// TODO: a kqueue NOTE_EXIT watcher in the reaper could stand in on
	// macOS and the BSDs.
	return errors.New("local server processes need Linux (parent-death " +
		"signal); use env or docker")
}
