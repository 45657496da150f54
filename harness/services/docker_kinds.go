package services

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/testcontainers/testcontainers-go"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"
	tcredis "github.com/testcontainers/testcontainers-go/modules/redis"
	"github.com/testcontainers/testcontainers-go/wait"
)

// hostOverride is testcontainers' variable for the host at which
// published container ports are reached.
const hostOverride = "TESTCONTAINERS_HOST_OVERRIDE"

// neo4jStartTimeout bounds a Neo4j container's start; the JVM is slow.
const neo4jStartTimeout = 3 * time.Minute

// runFunc starts a container of one kind from an image.
type runFunc func(ctx context.Context, img string,
	opts ...testcontainers.ContainerCustomizer) (testcontainers.Container,
	error)

// runPostgres starts PostgreSQL through the testcontainers module with the
// default credentials. The module has no wait strategy of its own.
func runPostgres(ctx context.Context, img string,
	opts ...testcontainers.ContainerCustomizer) (testcontainers.Container,
	error) {
	opts = append([]testcontainers.ContainerCustomizer{
		tcpostgres.WithDatabase(defaultDatabase),
		tcpostgres.WithUsername(defaultUser),
		tcpostgres.WithPassword(defaultPassword),
		tcpostgres.BasicWaitStrategies(),
	}, opts...)
	c, err := tcpostgres.Run(ctx, img, opts...)
	if c == nil {
		return nil, err
	}
	return c, err
}

// runRedis starts Redis through the testcontainers module.
func runRedis(ctx context.Context, img string,
	opts ...testcontainers.ContainerCustomizer) (testcontainers.Container,
	error) {
	c, err := tcredis.Run(ctx, img, opts...)
	if c == nil {
		return nil, err
	}
	return c, err
}

// runNeo4j starts Neo4j from the official image with basic auth; the
// testcontainers neo4j module is not a dependency, the generic container
// does the same.
func runNeo4j(ctx context.Context, img string,
	opts ...testcontainers.ContainerCustomizer) (testcontainers.Container,
	error) {
	opts = append([]testcontainers.ContainerCustomizer{
		testcontainers.WithExposedPorts("7687/tcp", "7474/tcp"),
		testcontainers.WithEnv(map[string]string{
			"NEO4J_AUTH": neo4jUser + "/" + defaultPassword,
		}),
		testcontainers.WithWaitStrategyAndDeadline(neo4jStartTimeout,
			wait.ForLog("Started."),
			wait.ForListeningPort("7687/tcp")),
	}, opts...)
	return testcontainers.Run(ctx, img, opts...)
}

// startDocker starts a server of the given kind in a container.
func startDocker(ctx context.Context, kind Kind, log *slog.Logger) (
	_ *Service, err error) {
	sp := specs[kind]
	cli, err := docker(ctx)
	if err != nil {
		return nil, err
	}
	img := sp.image()
	if err := ensureImage(ctx, cli, img); err != nil {
		return nil, err
	}

	began := time.Now()
	ctr, err := sp.run(ctx, img,
		testcontainers.WithLabels(labels()),
		testcontainers.WithLogger(tcLogger{}))
	var d *dockerServer
	if ctr != nil {
		// Registered before the error is looked at: a container that
		// failed to become ready still has to go.
		d = &dockerServer{cli: cli, ctr: ctr, port: sp.port, log: log}
		d.probe = func(ctx context.Context, addr string) error {
			return sp.probe(ctx, addr)
		}
		defer func() {
			if err != nil {
				d.close(context.Background())
			}
		}()
	}
	if err != nil {
		err = fmt.Errorf("start %s: %w", img, err)
		if ctr != nil && os.Getenv(hostOverride) == "" {
			err = fmt.Errorf("%w (if the Docker engine runs on this "+
				"machine, %s=127.0.0.1 may be needed)", err, hostOverride)
		}
		return nil, err
	}
	upstream, err := d.addr(ctx)
	if err != nil {
		return nil, err
	}
	s, err := newService(kind, ProviderDocker, d, upstream, log)
	if err != nil {
		return nil, err
	}
	s.startup = time.Since(began)
	log.Debug("container ready", "kind", kind, "image", img,
		"id", d.id()[:12], "took", s.startup.Round(time.Millisecond))
	return s, nil
}
