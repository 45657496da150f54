// Command benchgate fails when new benchmark results are significantly
// worse than a baseline.
//
//	benchgate [-threshold 5%] [-alpha 0.05] [-strict] [-v] base.txt new.txt
//	benchgate -class
//
// It compares the files as benchstat does (see harness/benchgate) and
// exits 0 when nothing regressed, 1 on a regression, and 2 when it cannot
// compare: in -strict mode for any finding (too few runs, different
// machines, units without a direction, benchmarks on one side only), and
// always for unreadable files or bad flags. -class prints this machine's
// baseline class (testdata/baselines/<class>/). `scaletest gate` runs the
// same package over the stored baselines; this small command stays for
// scripts that compare two files or need the class (make bench-baseline,
// the bench workflow).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/scaletest/scaletest/harness/benchgate"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchgate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	opts := benchgate.DefaultOptions
	threshold := fs.String("threshold", "5%", "smallest worsening that "+
		"fails the gate, as a percentage (5%) or a fraction (0.05)")
	fs.Float64Var(&opts.Alpha, "alpha", opts.Alpha, "significance level: "+
		"a change counts when p <= alpha")
	fs.BoolVar(&opts.Strict, "strict", false, "fail (exit 2) when "+
		"anything cannot be compared")
	fs.StringVar(&opts.Filter, "filter", "", "benchproc filter of the "+
		"results to compare (default all)")
	all := fs.Bool("v", false, "list every comparison, not only regressions")
	class := fs.Bool("class", false, "print this machine's baseline class "+
		"and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: benchgate [flags] base.txt new.txt")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *class {
		fmt.Fprintln(stdout, benchgate.MachineClass())
		return 0
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	t, err := parseThreshold(*threshold)
	if err != nil {
		fmt.Fprintln(stderr, "benchgate:", err)
		return 2
	}
	opts.Threshold = t

	if _, err := os.Stat(fs.Arg(0)); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "benchgate: no baseline %s: record one on an "+
			"idle machine of this class (%s) with make bench-baseline\n",
			fs.Arg(0), benchgate.MachineClass())
		return 2
	}
	res, err := benchgate.Compare(fs.Arg(0), fs.Arg(1), opts)
	if err != nil {
		fmt.Fprintln(stderr, "benchgate:", err)
		return 2
	}
	if err := res.WriteText(stdout, *all); err != nil {
		fmt.Fprintln(stderr, "benchgate:", err)
		return 2
	}
	return int(res.Verdict())
}

// parseThreshold reads "5%" as 0.05 and "0.05" as itself.
func parseThreshold(s string) (float64, error) {
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil {
		return 0, fmt.Errorf("-threshold %q: want a percentage such as 5%% "+
			"or a fraction such as 0.05", s)
	}
	if pct {
		v /= 100
	}
	return v, nil
}
