package benchgate

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// MachineClass names the baselines of machines like this one: the CPU
// model as Linux reports it ("model name" in /proc/cpuinfo, the same
// source as the cpu: line of go test -bench), lowercased with every run
// of other characters turned into one dash, then "-x" and the number of
// logical CPUs: "AMD EPYC" with 2 CPUs is "amd-epyc-x2". Elsewhere the
// model is GOARCH.
func MachineClass() string {
	model := runtime.GOARCH
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		s := bufio.NewScanner(f)
		for s.Scan() {
			k, v, ok := strings.Cut(s.Text(), ":")
			if ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return ClassOf(model, runtime.NumCPU())
}

// ClassOf is the machine class of a CPU model with n logical CPUs.
func ClassOf(model string, n int) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(model) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		s = "unknown-cpu"
	}
	return fmt.Sprintf("%s-x%d", s, n)
}
