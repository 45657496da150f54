package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/scaletest/scaletest/harness/distrib"
	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/record"
)

const mergeUsage = `usage: scaletest merge [flags] shards-dir | shard-dir...

Merges the shard directories of a distributed run (shard-0, shard-1, ...
under shards-dir, or the directories given) into one: records
concatenated, load results merged exactly (counts added, HDR histograms
merged), benchmark files concatenated for benchstat. With -check,
thresholds such as "p99 < 50ms, errors < 0.1%" are judged on the merged
load results, so the run has one verdict.

Exit status: 0 every threshold holds; 1 a threshold or a record fails;
2 a shard could not be read, or misuse.

Flags:
`

func cmdMerge(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scaletest merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "merged", "`directory` to write the merged run to")
	check := fs.String("check", "",
		"comma-separated `thresholds` to judge on every merged load result")
	fs.Usage = func() {
		fmt.Fprint(stderr, mergeUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageExit(err)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitBroken
	}
	var ts []load.Threshold
	if *check != "" {
		var err error
		if ts, err = load.ParseThresholds(strings.Split(*check, ",")...); err != nil {
			fmt.Fprintf(stderr, "scaletest merge: -check: %v\n", err)
			return exitBroken
		}
	}
	dirs := fs.Args()
	if len(dirs) == 1 {
		if sub, err := distrib.ShardDirs(dirs[0]); err == nil {
			dirs = sub
		}
	}
	m := distrib.Merge(dirs)
	if err := m.Write(*out); err != nil {
		fmt.Fprintf(stderr, "scaletest merge: %v\n", err)
		return exitBroken
	}
	fmt.Fprintf(stdout, "merged %d shards into %s: %d records, %d load results\n",
		len(dirs), *out, len(m.Records), len(m.Results))
	code := exitOK
	for _, r := range m.Records {
		if r.Verdict == record.Fail {
			fmt.Fprintf(stdout, "FAIL record %s = %g %s (%s)\n", r.Name, r.Value, r.Unit, r.Note)
			code = exitTargetFailed
		}
	}
	names := make([]string, 0, len(m.Results))
	for n := range m.Results {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		s := m.Results[n].Summary()
		fmt.Fprintf(stdout, "%s: %v\n", n, s)
		if len(ts) == 0 {
			continue
		}
		outs, pass, _ := m.Check(n, ts)
		for _, o := range outs {
			verdict := "PASS"
			if !o.Pass {
				verdict = "FAIL"
			}
			t := o.Threshold
			fmt.Fprintf(stdout, "  %s %s %s %g: measured %g\n", verdict, t.Metric, t.Op,
				t.Bound, o.Value)
		}
		if !pass {
			code = max(code, exitTargetFailed)
		}
	}
	for _, p := range m.Problems {
		fmt.Fprintf(stderr, "scaletest merge: %v\n", p)
		code = exitBroken
	}
	return code
}
