package services

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// probeTimeout bounds one readiness probe.
const probeTimeout = 2 * time.Second

// errExited says that a server process ended while we waited for it.
var errExited = errors.New("server exited")

// waitReady runs probe until it succeeds, ctx ends or exited closes.
func waitReady(ctx context.Context, probe func(context.Context) error,
	exited <-chan struct{}) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		pctx, cancel := context.WithTimeout(ctx, probeTimeout)
		err := probe(pctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last probe: %w)", ctx.Err(), err)
		case <-exited:
			return errExited
		case <-tick.C:
		}
	}
}

// probePostgres connects to the database of rawURL and pings it.
func probePostgres(ctx context.Context, rawURL string) error {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return err
	}
	cfg.ConnectTimeout = probeTimeout
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}

// postgresAdminURL is the URL of the "postgres" database at addr with the
// default credentials: it exists before the test database does.
func postgresAdminURL(addr string) string {
	u := url.URL{
		Scheme: "postgres", Host: addr, Path: "/postgres",
		User:     url.UserPassword(defaultUser, defaultPassword),
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// probeRedis sends PING to the server of rawURL.
func probeRedis(ctx context.Context, rawURL string) error {
	rc, err := dialRedis(ctx, rawURL)
	if err != nil {
		return err
	}
	defer rc.Close()
	got, err := rc.do(ctx, "PING")
	if err != nil {
		return err
	}
	if got != "PONG" {
		return fmt.Errorf("redis: PING answered %v", got)
	}
	return nil
}

// probeNeo4j verifies that the server of rawURL accepts its credentials.
func probeNeo4j(ctx context.Context, rawURL string) error {
	d, err := neo4jDriver(rawURL)
	if err != nil {
		return err
	}
	defer d.Close(context.Background())
	return d.VerifyConnectivity(ctx)
}

// neo4jDriver opens a driver for rawURL, taking the basic-auth user and
// password from the URL's user information.
func neo4jDriver(rawURL string) (neo4j.DriverWithContext, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	auth := neo4j.NoAuth()
	if u.User != nil {
		pw, _ := u.User.Password()
		auth = neo4j.BasicAuth(u.User.Username(), pw, "")
		u.User = nil
	}
	return neo4j.NewDriverWithContext(u.String(), auth,
		func(c *config.Config) {
			c.SocketConnectTimeout = probeTimeout
			c.MaxConnectionPoolSize = 2
		})
}
