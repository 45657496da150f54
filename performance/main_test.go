package performance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// workPrefix starts the name of this package's work directory; the
// owner's PID follows, so that a later run can tell a leftover.
const workPrefix = "scaletest-performance-"

// unitLines tell benchstat and the gate which way each custom unit
// improves (see the package doc).
var unitLines = []string{
	"Unit rtf better=lower",
	"Unit speed-x better=higher",
	"Unit cpu-sec/media-sec better=lower",
	"Unit B/media-sec better=lower assume=exact",
	"Unit videos/h/core better=higher",
	"Unit ratio better=lower",
	"Unit J/media-min better=lower",
}

func TestMain(m *testing.M) {
	for _, l := range unitLines {
		fmt.Println(l)
	}
	reapWorkDirs()
	dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", workPrefix, os.Getpid()))
	if err != nil {
		fmt.Fprintln(os.Stderr, "performance: work dir:", err)
		os.Exit(2)
	}
	workDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// reapWorkDirs removes the work directories of earlier test binaries that
// died without cleaning up (killed by -timeout or a signal). A directory
// whose owner still runs, or may (the signal is refused), is kept.
func reapWorkDirs() {
	paths, _ := filepath.Glob(filepath.Join(os.TempDir(), workPrefix+"*"))
	for _, p := range paths {
		rest := strings.TrimPrefix(filepath.Base(p), workPrefix)
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); err == nil || errors.Is(err, syscall.EPERM) {
			continue
		}
		os.RemoveAll(p)
	}
}
