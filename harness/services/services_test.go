package services

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pgConnect connects to rawURL; the connection closes with t.
func pgConnect(t *testing.T, rawURL string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), rawURL)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// redisClient opens a client for rawURL; it closes with t.
func redisClient(t *testing.T, rawURL string) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(rawURL)
	require.NoError(t, err)
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return c
}

func TestPostgres(t *testing.T) {
	s := Postgres(t)
	expectProvider(t, s)
	assert.Equal(t, KindPostgres, s.Kind())

	conn := pgConnect(t, s.URL())
	var user, db string
	err := conn.QueryRow(t.Context(),
		"SELECT current_user, current_database()").Scan(&user, &db)
	require.NoError(t, err)
	assert.Equal(t, s.User(), user)
	assert.Equal(t, defaultDatabase, db)
	assert.Same(t, s, Postgres(t), "Postgres(t) twice")
}

func TestRedis(t *testing.T) {
	s := Redis(t)
	expectProvider(t, s)
	assert.Equal(t, KindRedis, s.Kind())

	c := redisClient(t, s.URL())
	key := s.KeyPrefix(t) + "greeting"
	require.NoError(t, c.Set(t.Context(), key, "hello", 0).Err())
	got, err := c.Get(t.Context(), key).Result()
	require.NoError(t, err)
	assert.Equal(t, "hello", got)
}

func TestNeo4j(t *testing.T) {
	s := Neo4j(t)
	expectProvider(t, s)
	d, err := neo4jDriver(s.URL())
	require.NoError(t, err)
	defer d.Close(context.Background())
	sess := d.NewSession(t.Context(), neo4j.SessionConfig{})
	defer sess.Close(context.Background())
	res, err := sess.Run(t.Context(), "RETURN 40 + 2 AS n", nil)
	require.NoError(t, err)
	rec, err := res.Single(t.Context())
	require.NoError(t, err)
	n, _ := rec.Get("n")
	assert.EqualValues(t, 42, n)
}

// TestDatabaseIsolation gives two tests the same table name on the shared
// server: each sees only its own rows, and both databases are gone after.
func TestDatabaseIsolation(t *testing.T) {
	s := Postgres(t)
	var names []string
	for _, tc := range []struct {
		name string
		rows int
	}{{"one", 1}, {"three", 3}} {
		t.Run(tc.name, func(t *testing.T) {
			dbURL := s.Database(t)
			u, err := url.Parse(dbURL)
			require.NoError(t, err)
			names = append(names, u.Path[1:])

			conn := pgConnect(t, dbURL)
			ctx := t.Context()
			_, err = conn.Exec(ctx, "CREATE TABLE items (id int)")
			require.NoError(t, err)
			_, err = conn.Exec(ctx,
				"INSERT INTO items SELECT generate_series(1, $1)", tc.rows)
			require.NoError(t, err)
			var n int
			err = conn.QueryRow(ctx, "SELECT count(*) FROM items").Scan(&n)
			require.NoError(t, err)
			assert.Equal(t, tc.rows, n, "rows in %s", u.Path)
		})
	}
	require.Len(t, names, 2)
	assert.NotEqual(t, names[0], names[1])

	conn := pgConnect(t, s.URL())
	for _, name := range names {
		var n int
		err := conn.QueryRow(t.Context(),
			"SELECT count(*) FROM pg_database WHERE datname = $1",
			name).Scan(&n)
		require.NoError(t, err)
		assert.Zero(t, n, "database %s after its test", name)
	}
}

// TestKeyPrefixIsolation writes the same key name under two tests'
// prefixes: each reads its own value, and no key is left after.
func TestKeyPrefixIsolation(t *testing.T) {
	s := Redis(t)
	c := redisClient(t, s.URL())
	var prefixes []string
	for _, name := range []string{"one", "two"} {
		t.Run(name, func(t *testing.T) {
			p := s.KeyPrefix(t)
			prefixes = append(prefixes, p)
			ctx := t.Context()
			for i := range 3 {
				k := fmt.Sprintf("%sk%d", p, i)
				require.NoError(t, c.Set(ctx, k, name, 0).Err())
			}
			got, err := c.Get(ctx, p+"k0").Result()
			require.NoError(t, err)
			assert.Equal(t, name, got)
		})
	}
	require.Len(t, prefixes, 2)
	assert.NotEqual(t, prefixes[0], prefixes[1])
	for _, p := range prefixes {
		keys, err := c.Keys(t.Context(), p+"*").Result()
		require.NoError(t, err)
		assert.Empty(t, keys, "keys under %s after its test", p)
	}
}

// TestEnvProvider reaches the shared servers through their URLs, as an
// external server would be given: not controllable.
func TestEnvProvider(t *testing.T) {
	for _, tc := range []struct {
		kind Kind
		svc  func(testing.TB) *Service
	}{
		{KindPostgres, Postgres},
		{KindRedis, Redis},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			shared := tc.svc(t)
			t.Setenv(specs[tc.kind].urlEnv, shared.URL())
			s, err := fromEnv(t.Context(), tc.kind, Logger(t))
			require.NoError(t, err)
			assert.Equal(t, ProviderEnv, s.Provider())
			assert.Equal(t, shared.URL(), s.URL())
			assert.Equal(t, shared.Addr(), s.Addr())
			assert.False(t, s.Controllable())
			for name, control := range map[string]func(
				context.Context) error{
				"Kill": s.Kill, "Pause": s.Pause, "Resume": s.Resume,
				"Restart": s.Restart,
			} {
				err := control(t.Context())
				assert.True(t, errors.Is(err, ErrNotControllable),
					"%s() = %v; want ErrNotControllable", name, err)
			}
		})
	}
}
