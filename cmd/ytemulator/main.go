// Command ytemulator serves the YouTube Data API v3 emulator of package
// youtubeapi/emulator, so that any uploader can be pointed at it:
//
//	go run ./cmd/ytemulator -addr 127.0.0.1:8090
//
// Projects, channels, caps and the quota model come from scale.yaml
// (architecture.youtube; -config, else SCALETEST_CONFIG, else the file
// found above the working directory, else the defaults). A channel's
// bearer token is its id. Faults can be set at start (-faults) and at
// any time with PUT /emulator/faults; GET /emulator/state shows quota,
// caps, sessions and videos. Serve it on loopback only: the admin paths
// need no token.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/youtubeapi/emulator"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt,
		syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "ytemulator:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends. ready, when not nil, receives the address
// once the server listens.
func run(ctx context.Context, args []string, stderr io.Writer,
	ready chan<- string) error {
	fs := flag.NewFlagSet("ytemulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8090", "listen address")
	cfgPath := fs.String("config", "", "scale.yaml to read projects from")
	model := fs.String("model", "", "quota model (default: the config's)")
	audited := fs.Bool("audited", false, "projects are audited: uploads "+
		"may be public")
	faults := fs.String("faults", "", `initial faults as JSON, e.g. `+
		`{"server_error_rate":0.1,"latency":"50ms"}`)
	seed := fs.Uint64("seed", 1, "seed of fault dice and ids")
	verbose := fs.Bool("v", false, "log every request")
	if err := fs.Parse(args); err != nil {
		return err
	}

	cfg, err := load(*cfgPath)
	if err != nil {
		return err
	}
	ecfg, err := emulator.FromConfig(cfg.Architecture.YouTube)
	if err != nil {
		return err
	}
	if *model != "" {
		if ecfg.Model, err = quota.Lookup(*model); err != nil {
			return err
		}
	}
	for i := range ecfg.Projects {
		ecfg.Projects[i].Audited = *audited
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	ecfg.Logger = slog.New(slog.NewTextHandler(stderr,
		&slog.HandlerOptions{Level: level}))
	ecfg.Seed = *seed
	srv, err := emulator.New(ecfg)
	if err != nil {
		return err
	}
	if *faults != "" {
		var f emulator.Faults
		if err := json.Unmarshal([]byte(*faults), &f); err != nil {
			return fmt.Errorf("-faults: %w", err)
		}
		if err := srv.SetFaults(f); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	var tokens []string
	for _, p := range ecfg.Projects {
		for _, c := range p.Channels {
			tokens = append(tokens, c.ID)
		}
	}
	ecfg.Logger.Info("listening", "url", "http://"+ln.Addr().String(),
		"model", ecfg.Model.ID, "tokens", strings.Join(tokens, ","))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func load(path string) (*targets.Config, error) {
	if path != "" {
		return targets.Load(path)
	}
	return targets.LoadDefault()
}
