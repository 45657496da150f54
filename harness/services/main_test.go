package services

import (
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	SetLogger(slog.New(slog.NewTextHandler(os.Stderr,
		&slog.HandlerOptions{Level: slog.LevelDebug})))
	os.Exit(Main(m))
}

// expectProvider checks that s came from the provider SCALETEST_PROVIDERS
// names when it names one, so that a run per provider really tests it.
func expectProvider(t *testing.T, s *Service) {
	t.Helper()
	order, err := providers()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: started in %v", s, s.StartupTime())
	if len(order) == 1 && s.Provider() != order[0] {
		t.Fatalf("Provider() = %q; want %q (%s=%s)", s.Provider(),
			order[0], EnvProviders, os.Getenv(EnvProviders))
	}
}

// onlyProvider skips t unless resolution may use provider p.
func onlyProvider(t *testing.T, p string) {
	t.Helper()
	order, err := providers()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(order, p) {
		t.Skipf("%s=%s excludes %s", EnvProviders,
			strings.Join(order, ","), p)
	}
}
