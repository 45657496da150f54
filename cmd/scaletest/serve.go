package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/scaletest/scaletest/harness/report"
)

const serveUsage = `usage: scaletest serve [flags]

Serves the dashboard at http://<addr>/scale-dashboard: the newest complete
run's scorecard, figures by category, trends across runs, benchmarks
against the baselines, and every run with its problems. JSON API under
/api/ (runs, runs/{id}, runs/{id}/records, runs/{id}/scorecard,
runs/{id}/bench, scorecard/latest, trends, baselines). Read-only.

Flags:
`

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scaletest serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080",
		"`address` to listen on (loopback unless told otherwise)")
	runs := fs.String("runs", "", "runs `directory` (default: runs/ in the module)")
	baselines := fs.String("baselines", "",
		"baselines `directory` (default: testdata/baselines in the module)")
	configPath := fs.String("config", "", "scale.yaml `file` for runs that carry none")
	fs.Usage = func() {
		fmt.Fprint(stderr, serveUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageExit(err)
	}
	root, _ := moduleRoot("")
	if *runs == "" {
		*runs = filepath.Join(root, "runs")
	}
	if *baselines == "" && root != "" {
		*baselines = filepath.Join(root, "testdata", "baselines")
	}
	cfg, _, _, err := loadConfigFor(*configPath, root)
	if err != nil {
		fmt.Fprintf(stderr, "scaletest serve: %v\n", err)
		return exitBroken
	}

	log := slog.New(slog.NewTextHandler(stderr, nil))
	srv := &http.Server{
		Handler:           report.NewServer(*runs, *baselines, cfg, log).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "scaletest serve: %v\n", err)
		return exitBroken
	}
	fmt.Fprintf(stdout, "scaletest serve: http://%s/scale-dashboard (runs in %s)\n",
		ln.Addr(), *runs)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = srv.Shutdown(shut)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "scaletest serve: %v\n", err)
		return exitBroken
	}
	return exitOK
}

// usageExit maps a flag parsing error to an exit status: 0 for -h.
func usageExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitBroken
}
