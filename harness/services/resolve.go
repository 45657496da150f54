package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"
)

// Environment variables that choose providers and strictness.
const (
	// EnvProviders restricts and orders the providers: a comma-separated
	// list of env, docker and process. Default "env,docker,process".
	EnvProviders = "SCALETEST_PROVIDERS"
	// EnvRequire lists the kinds (postgres, redis, neo4j) whose absence
	// fails a test instead of skipping it. Default under CI=true:
	// "postgres,redis"; otherwise none.
	EnvRequire = "SCALETEST_REQUIRE"
)

// startTimeout bounds resolving one server, all providers together.
const startTimeout = 5 * time.Minute

var defaultProviders = []string{ProviderEnv, ProviderDocker, ProviderProcess}

// providers returns the providers to try, in order.
func providers() ([]string, error) {
	v := strings.TrimSpace(os.Getenv(EnvProviders))
	if v == "" {
		return defaultProviders, nil
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(defaultProviders, p) {
			return nil, fmt.Errorf("%s=%q: unknown provider %q (want env, "+
				"docker or process)", EnvProviders, v, p)
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// required reports whether a missing server of this kind fails a test.
func required(kind Kind) (bool, error) {
	v, ok := os.LookupEnv(EnvRequire)
	if !ok {
		return os.Getenv("CI") == "true" && kind != KindNeo4j, nil
	}
	found := false
	for _, k := range strings.Split(v, ",") {
		k = strings.TrimSpace(k)
		if _, known := specs[Kind(k)]; !known && k != "" {
			return false, fmt.Errorf("%s=%q: unknown kind %q (want "+
				"postgres, redis or neo4j)", EnvRequire, v, k)
		}
		found = found || Kind(k) == kind
	}
	return found, nil
}

// attempt is one provider's failure to supply a server.
type attempt struct {
	provider string
	err      error
	// applies is false when the provider cannot serve this request at
	// all (no local Neo4j; an external server is never dedicated).
	applies bool
}

// Unavailable is the error of a resolution in which no provider could
// supply a server. Its message names every provider's reason and how to
// provide a server.
type Unavailable struct {
	Kind     Kind
	Attempts []string // "provider: reason", in the order tried
	HowTo    string   // how to provide a server
	strict   bool     // some provider applied: a required kind fails
}

func (u *Unavailable) Error() string {
	return fmt.Sprintf("no %s server: %s. To provide one: %s",
		specs[u.Kind].title, strings.Join(u.Attempts, "; "), u.HowTo)
}

// resolve tries the providers in order and returns the first server that
// works. dedicated excludes the env provider: an external server cannot
// belong to one test.
func resolve(ctx context.Context, kind Kind, dedicated bool,
	log *slog.Logger) (*Service, error) {
	order, err := providers()
	if err != nil {
		return nil, err
	}
	sp := specs[kind]
	var tried []attempt
	for _, p := range order {
		var s *Service
		var err error
		applies := true
		switch {
		case p == ProviderEnv && dedicated:
			err, applies = errors.New("an external server cannot be "+
				"dedicated to one test (no kill, pause or restart)"), false
		case p == ProviderEnv:
			s, err = fromEnv(ctx, kind, log)
		case p == ProviderDocker:
			s, err = startDocker(ctx, kind, log)
		case p == ProviderProcess && sp.process == nil:
			err, applies = fmt.Errorf("no local %s server support; use "+
				"env or docker", sp.title), false
		case p == ProviderProcess:
			s, err = sp.process(ctx, log)
		}
		if err == nil {
			log.Debug("resolved", "service", s.String(),
				"took", s.startup.Round(time.Millisecond))
			return s, nil
		}
		log.Debug("provider failed", "kind", kind, "provider", p, "err", err)
		tried = append(tried, attempt{p, err, applies})
	}
	return nil, unavailable(kind, tried)
}

// unavailable builds the error of a failed resolution.
func unavailable(kind Kind, tried []attempt) *Unavailable {
	sp := specs[kind]
	u := &Unavailable{Kind: kind}
	for _, a := range tried {
		u.Attempts = append(u.Attempts, a.provider+": "+a.err.Error())
		u.strict = u.strict || a.applies
	}
	how := []string{fmt.Sprintf("set %s=%s", sp.urlEnv, sp.urlExample),
		fmt.Sprintf("or run a Docker engine that has or can pull %s "+
			"(%s names another image; `make images` builds local "+
			"PostgreSQL and Redis ones)", sp.image(), sp.imageEnv)}
	if sp.install != "" {
		how = append(how, "or "+sp.install)
	}
	u.HowTo = strings.Join(how, ", ") + fmt.Sprintf(" (%s=%q)",
		EnvProviders, os.Getenv(EnvProviders))
	return u
}
