package services

import (
	"log/slog"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	SetLogger(slog.New(slog.NewTextHandler(os.Stderr,
		&slog.HandlerOptions{Level: slog.LevelInfo})))
	if os.Getenv(envLeakHelper) != "" {
		// The leak helper's shared server starts before the clock of
		// its -test.timeout does; TestLeakHelper reports its failure.
		startShared(KindPostgres)
	}
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

// unsetenv removes key from the environment; the caller has called
// t.Setenv(key, ...) first, so that the old value comes back after.
func unsetenv(key string) error { return os.Unsetenv(key) }
