package performance

import (
	"fmt"
	"os"
	"testing"
)

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
	dir, err := os.MkdirTemp("", "scaletest-performance-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "performance: work dir:", err)
		os.Exit(2)
	}
	workDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
