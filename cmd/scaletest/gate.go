package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/scaletest/scaletest/harness/benchgate"
	"github.com/scaletest/scaletest/harness/report"
)

const gateUsage = `usage: scaletest gate [flags] [base.txt new.txt]

Compares benchmark results with the stored baselines the way benchstat
does (package harness/benchgate) and fails on a change that is
significant (p <= alpha) and worse than the threshold in the unit's
direction.

Without arguments it compares every baseline file of this machine's class
(testdata/baselines/<class>/*.txt) with the newest results: -new, else
results/bench/new.txt (make bench), else the bench.txt of the newest run
in -runs that has one (scaletest run -bench).

Exit status: 0 no regression; 1 a regression; 2 cannot compare (missing
files, and in -strict mode anything the gate cannot trust: too few runs,
different machines, units without a direction) or misuse.

Flags:
`

func cmdGate(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scaletest gate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	opts := benchgate.DefaultOptions
	baselines := fs.String("baselines", "",
		"baselines `directory` (default: testdata/baselines in the module)")
	class := fs.String("class", "", "machine `class` of the baselines (default: this machine's)")
	newPath := fs.String("new", "", "benchmark `file` to judge (default: see above)")
	runs := fs.String("runs", "", "runs `directory` (default: runs/ in the module)")
	threshold := fs.String("threshold", "5%",
		"smallest worsening that fails, as a `percentage` (5%) or a fraction (0.05)")
	fs.Float64Var(&opts.Alpha, "alpha", opts.Alpha,
		"significance `level`: a change counts when p <= alpha")
	fs.BoolVar(&opts.Strict, "strict", false, "fail (exit 2) when anything cannot be compared")
	fs.StringVar(&opts.Filter, "filter", "", "benchproc `filter` of the results (default all)")
	all := fs.Bool("v", false, "list every comparison, not only regressions")
	fs.String("config", "", configHelp+" (unused: the gate needs no targets)")
	fs.Usage = func() {
		fmt.Fprint(stderr, gateUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageExit(err)
	}
	t, err := parseThreshold(*threshold)
	if err != nil {
		fmt.Fprintf(stderr, "scaletest gate: %v\n", err)
		return exitBroken
	}
	opts.Threshold = t

	var bases []string
	switch fs.NArg() {
	case 2:
		bases, *newPath = []string{fs.Arg(0)}, fs.Arg(1)
	case 0:
		root, _ := moduleRoot("")
		if bases, err = baselineFiles(*baselines, *class, root); err != nil {
			fmt.Fprintf(stderr, "scaletest gate: %v\n", err)
			return exitBroken
		}
		if *newPath == "" {
			if *newPath, err = newestBench(*runs, root); err != nil {
				fmt.Fprintf(stderr, "scaletest gate: %v\n", err)
				return exitBroken
			}
		}
	default:
		fs.Usage()
		return exitBroken
	}

	worst := benchgate.VerdictPass
	for _, base := range bases {
		fmt.Fprintf(stdout, "== %s against %s\n", *newPath, base)
		res, err := benchgate.Compare(base, *newPath, opts)
		if err != nil {
			fmt.Fprintf(stderr, "scaletest gate: %v\n", err)
			return exitBroken
		}
		if err := res.WriteText(stdout, *all); err != nil {
			fmt.Fprintf(stderr, "scaletest gate: %v\n", err)
			return exitBroken
		}
		worst = max(worst, res.Verdict())
	}
	fmt.Fprintf(stdout, "gate: %s\n", worst)
	return int(worst)
}

// baselineFiles returns the baseline files of class (this machine's
// when empty) under dir (testdata/baselines of the module when empty).
func baselineFiles(dir, class, root string) ([]string, error) {
	if dir == "" {
		if root == "" {
			return nil, fmt.Errorf("no module here: pass -baselines")
		}
		dir = filepath.Join(root, "testdata", "baselines")
	}
	if class == "" {
		class = benchgate.MachineClass()
	}
	files, err := filepath.Glob(filepath.Join(dir, class, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("baselines: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no baselines for machine class %s in %s: record them on "+
			"an idle machine of this class (see %s)", class, dir,
			filepath.Join(dir, "README.md"))
	}
	slices.Sort(files)
	return files, nil
}

// newestBench returns results/bench/new.txt of the module when it
// exists, else the bench.txt of the newest run in runsDir that has one.
func newestBench(runsDir, root string) (string, error) {
	if root != "" {
		p := filepath.Join(root, "results", "bench", "new.txt")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if runsDir == "" {
		runsDir = filepath.Join(root, "runs")
	}
	ids, err := report.ListRuns(os.DirFS(runsDir))
	if err != nil {
		return "", fmt.Errorf("no benchmark results: %w (run make bench or "+
			"scaletest run -bench, or pass -new)", err)
	}
	for i := len(ids) - 1; i >= 0; i-- {
		p := filepath.Join(runsDir, ids[i], report.BenchFile)
		if fi, err := os.Stat(p); err == nil && fi.Size() > 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("no benchmark results in %s (run make bench or "+
		"scaletest run -bench, or pass -new)", runsDir)
}

// parseThreshold reads "5%" as 0.05 and "0.05" as itself.
func parseThreshold(s string) (float64, error) {
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("-threshold %q: want a percentage such as 5%% "+
			"or a fraction such as 0.05", s)
	}
	if pct {
		v /= 100
	}
	return v, nil
}
