package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"time"
)

// Kind names a kind of server.
type Kind string

// The kinds of server this package provides.
const (
	KindPostgres Kind = "postgres"
	KindRedis    Kind = "redis"
	KindNeo4j    Kind = "neo4j"
)

// The providers, in their default order of resolution.
const (
	ProviderEnv     = "env"
	ProviderDocker  = "docker"
	ProviderProcess = "process"
)

// Credentials used by the docker and process providers.
const (
	defaultUser     = "scaletest"
	defaultPassword = "scaletest"
	defaultDatabase = "scaletest"
	neo4jUser       = "neo4j"
)

// ErrNotControllable is returned by the controls of a service whose
// provider cannot kill, pause or restart it (an external URL).
var ErrNotControllable = errors.New("service is not controllable")

// ErrState is returned by a control that does not apply to the service's
// current state, such as Resume on a running service.
var ErrState = errors.New("control does not apply in this state")

// state is where a controllable service is in its life.
type state int

const (
	stateRunning state = iota
	statePaused
	stateKilled
	stateClosed
)

func (s state) String() string {
	return [...]string{"running", "paused", "killed", "closed"}[s]
}

// Service is a running server for tests. Its methods are safe for
// concurrent use.
type Service struct {
	kind     Kind
	provider string
	user     string
	password string
	database string // PostgreSQL database; empty for the others
	envURL   string // the URL as given, for the env provider
	addr     string // stable host:port: the proxy, or the env URL's host

	proxy   *proxy  // nil for env
	backend backend // nil for env
	log     *slog.Logger
	startup time.Duration

	mu    sync.Mutex // serialises controls
	state state
}

// backend is what a controllable provider does to its server. The
// Service serialises calls and keeps track of the state.
type backend interface {
	// kill stops the server at once (SIGKILL, docker kill).
	kill(ctx context.Context) error
	// pause freezes the server (SIGSTOP, docker pause).
	pause(ctx context.Context) error
	// resume thaws a paused server.
	resume(ctx context.Context) error
	// start starts a killed server on the same data and returns its new
	// address once it accepts connections.
	start(ctx context.Context) (string, error)
	// close removes the server and everything it left.
	close(ctx context.Context) error
}

// Kind returns the kind of server.
func (s *Service) Kind() Kind { return s.kind }

// Provider returns the provider that supplied the server: "env", "docker"
// or "process".
func (s *Service) Provider() string { return s.provider }

// Addr returns the server's host:port. It stays the same across Restart.
func (s *Service) Addr() string { return s.addr }

// User returns the user name clients authenticate with; empty for a Redis
// server without authentication.
func (s *Service) User() string { return s.user }

// Password returns the password clients authenticate with, if any.
func (s *Service) Password() string { return s.password }

// StartupTime returns how long the provider took to make the server
// accept connections; zero for the env provider.
func (s *Service) StartupTime() time.Duration { return s.startup }

// Controllable reports whether Kill, Pause, Resume and Restart work.
func (s *Service) Controllable() bool { return s.backend != nil }

// URL returns a URL clients connect with:
//
//	postgres://user:password@host:port/database?sslmode=disable
//	redis://host:port/0
//	bolt://user:password@host:port
//
// Neo4j uses bolt://, not neo4j://, because routing would hand clients the
// server's own advertised address instead of the stable proxy. For the env
// provider URL returns the URL as given.
func (s *Service) URL() string {
	if s.envURL != "" {
		return s.envURL
	}
	return s.urlFor(s.database)
}

// urlFor returns the URL of database db on this server.
func (s *Service) urlFor(db string) string {
	u := url.URL{Host: s.addr}
	switch s.kind {
	case KindPostgres:
		u.Scheme = "postgres"
		u.User = url.UserPassword(s.user, s.password)
		u.Path = "/" + db
		u.RawQuery = "sslmode=disable"
	case KindRedis:
		u.Scheme = "redis"
		if s.password != "" {
			u.User = url.UserPassword(s.user, s.password)
		}
		u.Path = "/0"
	case KindNeo4j:
		u.Scheme = "bolt"
		u.User = url.UserPassword(s.user, s.password)
	}
	return u.String()
}

// String returns the kind, provider and address, never the password.
func (s *Service) String() string {
	return fmt.Sprintf("%s (%s) at %s", s.kind, s.provider, s.addr)
}

// newService puts a proxy in front of a started backend whose server
// listens on upstream.
func newService(kind Kind, provider string, b backend, upstream string,
	log *slog.Logger) (*Service, error) {
	p, err := newProxy(upstream, log)
	if err != nil {
		return nil, fmt.Errorf("start proxy for %s: %w", kind, err)
	}
	s := &Service{
		kind: kind, provider: provider, backend: b, proxy: p, log: log,
		addr: p.Addr(),
	}
	switch kind {
	case KindPostgres:
		s.user, s.password, s.database =
			defaultUser, defaultPassword, defaultDatabase
	case KindNeo4j:
		s.user, s.password = neo4jUser, defaultPassword
	}
	return s, nil
}

// hostPort returns u's host:port, with port def when u names none.
func hostPort(u *url.URL, def string) string {
	if u.Port() != "" {
		return u.Host
	}
	return net.JoinHostPort(u.Hostname(), def)
}
