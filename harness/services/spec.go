package services

import (
	"context"
	"log/slog"
	"os"
)

// Environment variables that configure resolution.
const (
	// EnvPostgresURL, EnvRedisURL and EnvNeo4jURL name an external server.
	EnvPostgresURL = "SCALETEST_POSTGRES_URL"
	EnvRedisURL    = "SCALETEST_REDIS_URL"
	EnvNeo4jURL    = "SCALETEST_NEO4J_URL"

	// EnvPostgresImage, EnvRedisImage and EnvNeo4jImage override the
	// images of the docker provider.
	EnvPostgresImage = "SCALETEST_POSTGRES_IMAGE"
	EnvRedisImage    = "SCALETEST_REDIS_IMAGE"
	EnvNeo4jImage    = "SCALETEST_NEO4J_IMAGE"
)

// spec is what the providers need to know about one kind of server.
type spec struct {
	title        string // "PostgreSQL"
	urlEnv       string
	urlExample   string
	imageEnv     string
	defaultImage string
	port         string // in the container
	defaultPort  string // of an env URL that names none
	run          runFunc
	// probe checks a server at addr with the default credentials.
	probe func(ctx context.Context, addr string) error
	// probeURL checks the server of a URL.
	probeURL func(ctx context.Context, rawURL string) error
	// process starts a local server; nil where there is none.
	process func(ctx context.Context, log *slog.Logger) (*Service, error)
	// install says how to get the local server binaries.
	install string
}

// image returns the image of the docker provider.
func (sp spec) image() string {
	if img := os.Getenv(sp.imageEnv); img != "" {
		return img
	}
	return sp.defaultImage
}

var specs = map[Kind]spec{
	KindPostgres: {
		title:        "PostgreSQL",
		urlEnv:       EnvPostgresURL,
		urlExample:   "postgres://user:password@host:5432/db",
		imageEnv:     EnvPostgresImage,
		defaultImage: "postgres:15",
		port:         "5432/tcp",
		defaultPort:  "5432",
		run:          runPostgres,
		probe: func(ctx context.Context, addr string) error {
			return probePostgres(ctx, postgresAdminURL(addr))
		},
		probeURL: probePostgres,
		process:  startPostgresProcess,
		install:  "install the PostgreSQL server (initdb, postgres)",
	},
	KindRedis: {
		title:        "Redis",
		urlEnv:       EnvRedisURL,
		urlExample:   "redis://host:6379/0",
		imageEnv:     EnvRedisImage,
		defaultImage: "redis:7",
		port:         "6379/tcp",
		defaultPort:  "6379",
		run:          runRedis,
		probe: func(ctx context.Context, addr string) error {
			return probeRedis(ctx, "redis://"+addr+"/0")
		},
		probeURL: probeRedis,
		process:  startRedisProcess,
		install:  "install redis-server",
	},
	KindNeo4j: {
		title:        "Neo4j",
		urlEnv:       EnvNeo4jURL,
		urlExample:   "bolt://neo4j:password@host:7687",
		imageEnv:     EnvNeo4jImage,
		defaultImage: "neo4j:5",
		port:         "7687/tcp",
		defaultPort:  "7687",
		run:          runNeo4j,
		probe: func(ctx context.Context, addr string) error {
			return probeNeo4j(ctx, "bolt://"+neo4jUser+":"+
				defaultPassword+"@"+addr)
		},
		probeURL: probeNeo4j,
	},
}
