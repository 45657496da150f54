// Command scaletest is the main job of the suite: it runs the category
// packages and turns their records into the scorecard (run), serves the
// dashboard over past runs (serve), plans capacity and cost from
// scale.yaml alone (plan), and gates benchmark regressions (gate).
//
// Run scaletest help, or scaletest <command> -h, for the flags.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses, the same for every command.
const (
	exitOK           = 0 // every target passes; the command did its work
	exitTargetFailed = 1 // a Key Target fails (run), a regression (gate)
	exitBroken       = 2 // tests broke, the run was interrupted, or misuse
	exitNotMeasured  = 3 // nothing failed but some targets have no figure
)

var exitMeaning = map[int]string{
	exitOK:           "every target passes",
	exitTargetFailed: "a target fails",
	exitBroken:       "tests broke, the run was interrupted or the command was misused",
	exitNotMeasured:  "no target fails, but some were not measured",
}

const usage = `usage: scaletest <command> [flags]

Commands:
  run     run the categories at full scale and write the scorecard
  serve   serve the dashboard at /scale-dashboard and its JSON API
  plan    capacity and cost plan from scale.yaml alone, without tests
  gate    compare benchmark results with the stored baselines
  k8s     print a Kubernetes Indexed Job for a distributed run
  merge   merge the shards of a distributed run into one verdict

Exit status: 0 pass, 1 a target fails (gate: a regression), 2 tests
broke / interrupted / usage, 3 some targets not measured.
Run scaletest <command> -h for the flags of a command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first interrupt stops the run and writes what it has; a
		// second one ends the process at once.
		<-ctx.Done()
		stop()
	}()
	code := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitBroken
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return cmdRun(ctx, rest, stdout, stderr)
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "plan":
		return cmdPlan(ctx, rest, stdout, stderr)
	case "gate":
		return cmdGate(ctx, rest, stdout, stderr)
	case "k8s":
		return cmdK8s(ctx, rest, stdout, stderr)
	case "merge":
		return cmdMerge(ctx, rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "scaletest: unknown command %q\n\n%s", cmd, usage)
	return exitBroken
}
