package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

// OpenPostgres returns a pool for the database at url whose connections
// time out after opTimeout, so that a dead or frozen server shows as
// errors rather than hangs. The pool connects lazily: it opens even while
// the server is down.
func OpenPostgres(ctx context.Context, url string,
	opTimeout time.Duration) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	cfg.ConnConfig.ConnectTimeout = opTimeout
	cfg.MaxConns = 16
	cfg.HealthCheckPeriod = time.Second
	db, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return db, nil
}

// OpenRedis returns a client for the server at url with dial, read and
// write timeouts of opTimeout, honouring context deadlines.
func OpenRedis(url string, opTimeout time.Duration) (*redis.Client, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("open redis: %w", err)
	}
	opts.DialTimeout = opTimeout
	opts.ReadTimeout = opTimeout
	opts.WriteTimeout = opTimeout
	opts.PoolTimeout = opTimeout
	opts.ContextTimeoutEnabled = true
	opts.MaxRetries = 1
	return redis.NewClient(opts), nil
}

// SilenceRedisLog discards what go-redis writes through its process-wide
// logger (standard error by default): dial failures during a fault, which
// the pipeline already counts in Stats.Errors. Call it once, from main or
// TestMain, before any client exists.
func SilenceRedisLog() { redis.SetLogger(discardLog{}) }

type discardLog struct{}

func (discardLog) Printf(context.Context, string, ...any) {}
