package services

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// NewRedisConfig starts a Redis server for tb alone, as NewRedis does, with
// directives added to its configuration: lines of redis.conf such as
// "appendonly yes" or "appendfsync always", in force from the start and
// after every Restart. Tests of Redis persistence use it.
//
// Only the process provider keeps a configuration across a kill and a
// restart (a container restarts with the command it was created with), so
// NewRedisConfig uses that provider whatever SCALETEST_PROVIDERS says, and
// skips or fails tb as NewRedis does when redis-server cannot be run.
func NewRedisConfig(tb testing.TB, directives ...string) *Service {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), startTimeout)
	defer cancel()
	s, err := startRedisProcess(ctx, Logger(tb))
	if err != nil {
		missing(tb, KindRedis, unavailable(KindRedis,
			[]attempt{{ProviderProcess, err, true}}))
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.close(ctx); err != nil {
			tb.Errorf("services: %v", err)
		}
	})
	if err := s.configure(ctx, directives); err != nil {
		tb.Fatalf("services: %v", err)
	}
	return s
}

// configure appends directives to the configuration file of a Redis
// process and restarts it, empty, to apply them.
func (s *Service) configure(ctx context.Context, directives []string) error {
	p, ok := s.backend.(*procServer)
	if !ok {
		return fmt.Errorf("configure %s: not a local process", s)
	}
	for _, d := range directives {
		if strings.ContainsAny(d, "\r\n") {
			return fmt.Errorf("configure %s: directive %q spans lines", s, d)
		}
	}
	path := filepath.Join(p.dir, "redis.conf")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("configure %s: %w", s, err)
	}
	_, werr := f.WriteString(strings.Join(directives, "\n") + "\n")
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("configure %s: %w", s, err)
	}
	if err := s.Restart(ctx); err != nil {
		return fmt.Errorf("configure %s: %w", s, err)
	}
	return nil
}
