// Package services provides PostgreSQL, Redis and Neo4j servers for tests,
// with controls to kill, pause and restart them where the provider allows.
//
// A server is resolved once per request, first provider that works:
//
//  1. env: an explicit URL from SCALETEST_POSTGRES_URL, SCALETEST_REDIS_URL
//     or SCALETEST_NEO4J_URL (not controllable);
//  2. docker: a container through testcontainers-go, from the official
//     images postgres:15, redis:7 and neo4j:5 unless SCALETEST_POSTGRES_IMAGE,
//     SCALETEST_REDIS_IMAGE or SCALETEST_NEO4J_IMAGE name others;
//  3. process: initdb/postgres or redis-server started directly on a free
//     loopback port in a temporary directory, as an unprivileged user
//     (SCALETEST_PROCESS_USER, default nobody) when running as root;
//  4. skip, naming what every provider lacked and how to provide one.
//
// SCALETEST_PROVIDERS (for example "docker" or "process,docker") restricts
// and orders the providers. Under CI=true a required kind (postgres and
// redis unless SCALETEST_REQUIRE says otherwise) fails the test instead of
// skipping it, so that no path rots silently.
//
// Postgres, Redis and Neo4j return one shared instance per test binary,
// started on first use and stopped by Main; Database and KeyPrefix isolate
// tests on it. NewPostgres and NewRedis start a dedicated instance, stopped
// at the end of the test, for tests that kill, pause or restart it.
//
// Every instance sits behind a small TCP proxy, so its address survives a
// restart (a restarted container gets a new host port). Nothing leaks: child
// processes carry a parent-death signal, containers are labelled with the
// owning process, and a detached reaper removes containers and temporary
// directories when the test binary dies, also on a -timeout panic; leftovers
// of crashed runs are removed at start-up.
//
// A typical package:
//
//	func TestMain(m *testing.M) { os.Exit(services.Main(m)) }
//
//	func TestOrders(t *testing.T) {
//		db := services.Postgres(t).Database(t) // a fresh database
//		conn, err := pgx.Connect(t.Context(), db)
//		...
//	}
//
// The package never prints; SetLogger and Logger route its log records.
package services
