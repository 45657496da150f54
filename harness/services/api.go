package services

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// shared holds the one instance of each kind that a test binary shares.
var shared = struct {
	mu    sync.Mutex
	slots map[Kind]*slot
	order []*Service // started, in order, for Main to stop
}{slots: map[Kind]*slot{}}

// slot resolves one shared instance once; a failure is remembered, so
// that later tests skip at once.
type slot struct {
	once sync.Once
	svc  *Service
	err  error
}

// Postgres returns the PostgreSQL server shared by this test binary,
// starting it on first use. It skips tb, or fails it where the kind is
// required (see EnvRequire), when no provider can supply one. Use
// Database for a database of the test's own; do not kill the shared
// server (NewPostgres gives one to kill).
func Postgres(tb testing.TB) *Service {
	tb.Helper()
	return sharedService(tb, KindPostgres)
}

// Redis returns the Redis server shared by this test binary, as Postgres
// does. Use KeyPrefix to keep the test's keys apart.
func Redis(tb testing.TB) *Service {
	tb.Helper()
	return sharedService(tb, KindRedis)
}

// Neo4j returns the Neo4j server shared by this test binary, as Postgres
// does. There is no local-process provider for Neo4j: it needs
// SCALETEST_NEO4J_URL or a Docker engine with the neo4j:5 image.
func Neo4j(tb testing.TB) *Service {
	tb.Helper()
	return sharedService(tb, KindNeo4j)
}

// NewPostgres starts a PostgreSQL server for tb alone, removed when tb
// ends; tests that kill, pause or restart a server use one. It skips or
// fails tb as Postgres does.
func NewPostgres(tb testing.TB) *Service {
	tb.Helper()
	return dedicated(tb, KindPostgres)
}

// NewRedis starts a Redis server for tb alone, as NewPostgres does.
func NewRedis(tb testing.TB) *Service {
	tb.Helper()
	return dedicated(tb, KindRedis)
}

// NewNeo4j starts a Neo4j server for tb alone, as NewPostgres does.
func NewNeo4j(tb testing.TB) *Service {
	tb.Helper()
	return dedicated(tb, KindNeo4j)
}

func sharedService(tb testing.TB, kind Kind) *Service {
	tb.Helper()
	s, err := startShared(kind)
	if err != nil {
		missing(tb, kind, err)
	}
	return s
}

// startShared returns the shared instance of a kind, starting it on first
// use, or the error of that first start.
func startShared(kind Kind) (*Service, error) {
	shared.mu.Lock()
	sl := shared.slots[kind]
	if sl == nil {
		sl = &slot{}
		shared.slots[kind] = sl
	}
	shared.mu.Unlock()
	sl.once.Do(func() {
		// Not a test's context: the instance outlives the first test.
		ctx, cancel := context.WithTimeout(context.Background(),
			startTimeout)
		defer cancel()
		sl.svc, sl.err = resolve(ctx, kind, false, logger())
		if sl.svc != nil {
			shared.mu.Lock()
			shared.order = append(shared.order, sl.svc)
			shared.mu.Unlock()
		}
	})
	return sl.svc, sl.err
}

func dedicated(tb testing.TB, kind Kind) *Service {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), startTimeout)
	defer cancel()
	s, err := resolve(ctx, kind, true, Logger(tb))
	if err != nil {
		missing(tb, kind, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(),
			time.Minute)
		defer cancel()
		if err := s.close(ctx); err != nil {
			tb.Errorf("services: %v", err)
		}
	})
	return s
}

// missing skips tb, or fails it when the kind is required and some
// provider could have served it.
func missing(tb testing.TB, kind Kind, err error) {
	tb.Helper()
	var u *Unavailable
	req, rerr := required(kind)
	switch {
	case !errors.As(err, &u):
		tb.Fatalf("services: %v", err) // a configuration error
	case rerr != nil:
		tb.Fatalf("services: %v", rerr)
	case req && u.strict:
		tb.Fatalf("services: %v (a failure, not a skip: %s is required; "+
			"see %s and CI)", u, kind, EnvRequire)
	default:
		tb.Skipf("services: %v", u)
	}
}

// Main runs the tests of m and then stops the shared instances; use it
// from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(services.Main(m)) }
//
// It returns m.Run's code, or 1 if the tests passed but a shared instance
// could not be stopped (said on standard error, as the testing package
// reports its own failures). Without Main, shared instances still go when
// the binary exits: processes by their parent-death signal, containers
// and directories by the reaper.
func Main(m *testing.M) int {
	code := m.Run()
	if err := stopShared(); err != nil {
		fmt.Fprintf(os.Stderr, "services: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// stopShared stops every shared instance started so far.
func stopShared() error {
	shared.mu.Lock()
	ss := shared.order
	shared.order = nil
	shared.slots = map[Kind]*slot{}
	shared.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return errors.Join(closeAll(ctx, ss), removePostgresTemplate())
}
