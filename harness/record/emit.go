package record

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/scaletest/scaletest/harness/targets"
)

var (
	defaultOnce   sync.Once
	defaultWriter *Writer
	defaultErr    error
)

// Emit stamps r with the scale, the machine, the test and the package,
// logs it on tb and appends it to the records file in Dir. A failure to
// write fails the test: a lost record is a lost result.
func Emit(tb testing.TB, r Record) {
	tb.Helper()
	defaultOnce.Do(func() {
		defaultWriter, defaultErr = NewWriter(filepath.Join(Dir(), FileName))
	})
	if defaultErr != nil {
		tb.Errorf("record %q: %v", r.Name, defaultErr)
		return
	}
	if r.Scale == "" {
		sc, _ := targets.CurrentScale()
		r.Scale = string(sc)
	}
	if r.Machine == "" {
		r.Machine = Machine()
	}
	if r.Test == "" {
		r.Test = tb.Name()
	}
	if r.Package == "" {
		r.Package = packagePath()
	}
	if err := defaultWriter.Write(r); err != nil {
		tb.Errorf("%v", err)
		return
	}
	tb.Logf("record %s: %s = %g %s (%s, %s)", r.Target, r.Name, r.Value, r.Unit,
		r.Verdict, r.Source)
}

var (
	machineOnce sync.Once
	machine     string
)

// Machine describes this machine: CPU model, logical CPUs, OS and
// architecture ("AMD EPYC 9B14 x2 linux/amd64"). Figures from different
// machines are not comparable; the scorecard shows this beside them.
func Machine() string {
	machineOnce.Do(func() {
		model := "unknown-cpu"
		if f, err := os.Open("/proc/cpuinfo"); err == nil {
			s := bufio.NewScanner(f)
			for s.Scan() {
				k, v, ok := strings.Cut(s.Text(), ":")
				if ok && strings.TrimSpace(k) == "model name" {
					model = strings.TrimSpace(v)
					break
				}
			}
			f.Close()
		}
		machine = fmt.Sprintf("%s x%d %s/%s", model, runtime.NumCPU(),
			runtime.GOOS, runtime.GOARCH)
	})
	return machine
}

// packagePath is the working directory relative to the module root, which
// go test sets to the package's directory.
func packagePath() string {
	root, ok := moduleRoot()
	wd, err := os.Getwd()
	if !ok || err != nil {
		return ""
	}
	rel, err := filepath.Rel(root, wd)
	if err != nil {
		return ""
	}
	return filepath.ToSlash(rel)
}
