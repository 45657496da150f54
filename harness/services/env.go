package services

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
)

// fromEnv returns the external server named by the kind's URL variable,
// once it answers.
func fromEnv(ctx context.Context, kind Kind, log *slog.Logger) (*Service,
	error) {
	sp := specs[kind]
	raw := os.Getenv(sp.urlEnv)
	if raw == "" {
		return nil, fmt.Errorf("%s is not set", sp.urlEnv)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sp.urlEnv, err)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%s names no host", sp.urlEnv)
	}
	if err := sp.probeURL(ctx, raw); err != nil {
		// The URL may hold a password: name the host only.
		return nil, fmt.Errorf("%s (%s): %w", sp.urlEnv, u.Host, err)
	}
	s := &Service{
		kind: kind, provider: ProviderEnv, envURL: raw, log: log,
		addr: hostPort(u, sp.defaultPort),
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	if kind == KindPostgres {
		s.database = strings.TrimPrefix(u.Path, "/")
	}
	return s, nil
}
