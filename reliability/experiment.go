package reliability

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/scaletest/scaletest/harness/fault"
	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/reliability/pipeline"
)

// Names of the targets a schedule may use in an experiment.
const (
	ProxyPostgres  = "postgres"        // network faults on PostgreSQL
	ProxyRedis     = "redis"           // network faults on Redis
	ServerPostgres = "postgres-server" // kill, pause, restart
	ServerRedis    = "redis-server"    // kill, pause, restart
	Workers        = "workers"         // crash
)

// Env is where an experiment runs.
type Env struct {
	// PostgresURL is a database of the experiment's own; the pipeline's
	// tables are created in it.
	PostgresURL string
	// RedisURL is the Redis server; StreamKey a key of the experiment's
	// own for the job stream.
	RedisURL  string
	StreamKey string
	// Services are the controllable servers, under ServerPostgres and
	// ServerRedis; a schedule may only kill, pause or restart these.
	Services map[string]fault.Service
}

// Experiment is one run of the pipeline under load and a fault schedule.
type Experiment struct {
	// Name labels the run in records, such as "kill redis-server".
	Name     string
	Load     Load
	Schedule *fault.Schedule
	Pipeline pipeline.Config
	// SubmitDeadline is how long after its due time a job may be
	// submitted, retries included. Default 1 s.
	SubmitDeadline time.Duration
	// CompletionDeadline is how long after its due time a job must be
	// done to count as available. Default 5 s.
	CompletionDeadline time.Duration
	// DrainTimeout bounds the wait, after the load and the faults, for
	// every job to be done; what is not done by then is lost. Default
	// 30 s.
	DrainTimeout time.Duration
	// StallTimeout ends the wait early when no job was done for that
	// long: longer than the pipeline takes to bring back a job it lost
	// track of. Default Lease + ReclaimIdle + Redeliver + 1 s (5.5 s with
	// the pipeline's defaults).
	StallTimeout time.Duration
	// Log receives the pipeline's debug events; nil discards them.
	Log *slog.Logger
}

// Defaults of an Experiment.
const (
	DefaultSubmitDeadline     = time.Second
	DefaultCompletionDeadline = 5 * time.Second
	DefaultDrainTimeout       = 30 * time.Second
)

func (e *Experiment) defaults() error {
	if e.SubmitDeadline == 0 {
		e.SubmitDeadline = DefaultSubmitDeadline
	}
	if e.CompletionDeadline == 0 {
		e.CompletionDeadline = DefaultCompletionDeadline
	}
	if e.DrainTimeout == 0 {
		e.DrainTimeout = DefaultDrainTimeout
	}
	if e.StallTimeout == 0 {
		c := pipeline.DefaultConfig
		pick := func(v, def time.Duration) time.Duration {
			if v == 0 {
				return def
			}
			return v
		}
		e.StallTimeout = pick(e.Pipeline.Lease, c.Lease) +
			pick(e.Pipeline.ReclaimIdle, c.ReclaimIdle) +
			pick(e.Pipeline.Redeliver, c.Redeliver) + time.Second
	}
	if e.Schedule == nil {
		e.Schedule = &fault.Schedule{}
	}
	if e.Log == nil {
		e.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	switch {
	case !(e.Load.JobsPerSecond > 0):
		return fmt.Errorf("experiment %q: rate %v jobs/s: want > 0", e.Name,
			e.Load.JobsPerSecond)
	case e.Load.Duration <= 0:
		return fmt.Errorf("experiment %q: duration %v: want > 0", e.Name,
			e.Load.Duration)
	}
	return nil
}

// Run runs e in env: proxies and clients up, pipeline started, load and
// schedule played together, then drain, audit and measurement. Every wait
// has a deadline. It returns an error only when the experiment could not
// run; lost jobs and failed faults are in the Outcome.
func (e Experiment) Run(ctx context.Context, env Env) (*Outcome, error) {
	if err := e.defaults(); err != nil {
		return nil, err
	}
	x, err := e.setUp(ctx, env)
	if x != nil {
		defer x.close()
	}
	if err != nil {
		return nil, fmt.Errorf("experiment %q: %w", e.Name, err)
	}
	return x.run(ctx)
}

// run is an experiment in progress.
type run struct {
	e       Experiment
	env     Env
	net     *fault.Network
	db      *pgxpool.Pool // through the proxy: the pipeline's
	rdb     *redis.Client // through the proxy: the pipeline's
	audit   *pgxpool.Pool // direct: the auditor's
	raudit  *redis.Client // direct
	pipe    *pipeline.Pipeline
	runner  *fault.Runner
	sched   load.Constant
	origin  time.Time
	ops     []Op
	cancels []context.CancelFunc
	// persistence is the Redis server's setting before the run.
	persistence string
}

func (e Experiment) setUp(ctx context.Context, env Env) (*run, error) {
	x := &run{e: e, env: env, net: fault.NewNetwork(),
		sched: load.Constant{PerSecond: e.Load.JobsPerSecond,
			For: e.Load.Duration}}
	pgURL, err := x.proxied(ProxyPostgres, env.PostgresURL)
	if err != nil {
		return x, err
	}
	redisURL, err := x.proxied(ProxyRedis, env.RedisURL)
	if err != nil {
		return x, err
	}
	op := e.Pipeline.OpTimeout
	if op == 0 {
		op = pipeline.DefaultConfig.OpTimeout
	}
	if x.db, err = pipeline.OpenPostgres(ctx, pgURL, op); err != nil {
		return x, err
	}
	if x.audit, err = pipeline.OpenPostgres(ctx, env.PostgresURL,
		10*time.Second); err != nil {
		return x, err
	}
	if x.rdb, err = pipeline.OpenRedis(redisURL, op); err != nil {
		return x, err
	}
	if x.raudit, err = pipeline.OpenRedis(env.RedisURL,
		10*time.Second); err != nil {
		return x, err
	}
	if err := pipeline.Migrate(ctx, x.audit); err != nil {
		return x, err
	}
	if x.persistence, err = x.redisPersistence(ctx); err != nil {
		return x, err
	}

	cfg := e.Pipeline
	cfg.Stream = env.StreamKey
	if x.pipe, err = pipeline.New(x.db, x.rdb, cfg, e.Log); err != nil {
		return x, err
	}
	x.runner = &fault.Runner{Targets: fault.Targets{
		Proxies: map[string]*fault.Proxy{
			ProxyPostgres: x.net.Lookup(ProxyPostgres),
			ProxyRedis:    x.net.Lookup(ProxyRedis),
		},
		Services: env.Services,
		Workers:  map[string]fault.Crasher{Workers: x.pipe},
	}}
	if err := e.Schedule.Validate(); err != nil {
		return x, err
	}
	if err := x.runner.Check(e.Schedule); err != nil {
		return x, err
	}
	return x, nil
}

// proxied starts proxy name in front of the server of rawURL and returns
// the URL that goes through it.
func (x *run) proxied(name, rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("%s url: %w", name, err)
	}
	if u.Port() == "" {
		return "", fmt.Errorf("%s url names no port", name)
	}
	p, err := x.net.Proxy(name, u.Host)
	if err != nil {
		return "", err
	}
	u.Host = p.Addr()
	return u.String(), nil
}

func (x *run) close() {
	for _, c := range x.cancels {
		c()
	}
	if x.pipe != nil {
		x.pipe.Stop()
	}
	for _, p := range []*pgxpool.Pool{x.db, x.audit} {
		if p != nil {
			p.Close()
		}
	}
	for _, c := range []*redis.Client{x.rdb, x.raudit} {
		if c != nil {
			c.Close()
		}
	}
	x.net.Close()
}

// run plays the load and the schedule, drains and measures.
func (x *run) run(ctx context.Context) (*Outcome, error) {
	pctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	x.cancels = append(x.cancels, cancel)
	if err := x.pipe.Start(pctx); err != nil {
		return nil, fmt.Errorf("experiment %q: %w", x.e.Name, err)
	}

	x.ops = make([]Op, x.sched.Count())
	x.origin = time.Now()
	type ran struct {
		rep *fault.Report
		err error
	}
	faults := make(chan ran, 1)
	go func() {
		rep, err := x.runner.Run(ctx, x.e.Schedule)
		faults <- ran{rep, err}
	}()
	lres, lerr := load.Run(ctx, x.sched, x.submit, load.Options{
		MaxLate: 1, Drain: x.e.SubmitDeadline + time.Second,
	})
	if lerr != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("experiment %q: load: %w", x.e.Name, lerr)
	}
	// The runner returns once every fault is over: each step has its own
	// deadline, and ctx bounds the schedule.
	fr := <-faults

	drained, drainTook := x.drain(ctx)
	x.pipe.Stop()
	o := &Outcome{Name: x.e.Name, Variant: x.pipe.Config().Variant,
		Load: x.e.Load, Experiment: x.e, Faults: fr.rep, FaultErr: fr.err,
		Ops: x.ops, Origin: x.origin, LoadErr: lerr, LoadResult: lres,
		Drained: drained, DrainTook: drainTook, Stats: x.pipe.Stats(),
		RedisPersistence: x.persistence}
	if err := x.auditJobs(ctx, o); err != nil {
		// A server that did not come back explains a failed audit.
		return o, fmt.Errorf("experiment %q: audit: %w",
			x.e.Name, errors.Join(err, fr.err))
	}
	if err := x.streamLoss(ctx, o); err != nil {
		return o, fmt.Errorf("experiment %q: stream: %w", x.e.Name, err)
	}
	o.measure()
	return o, nil
}

// drain waits until no job is open, at most DrainTimeout and at most
// StallTimeout without progress, and returns whether every job was done
// and how long the wait took.
func (x *run) drain(ctx context.Context) (bool, time.Duration) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, x.e.DrainTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	last, progress := -1, start
	for {
		var open int
		err := x.audit.QueryRow(ctx,
			"SELECT count(*) FROM jobs WHERE done_at IS NULL").Scan(&open)
		switch {
		case err == nil && open == 0:
			return true, time.Since(start)
		case err == nil && open != last:
			last, progress = open, time.Now()
		case time.Since(progress) > x.e.StallTimeout:
			return false, time.Since(start)
		}
		select {
		case <-ctx.Done():
			return false, time.Since(start)
		case <-tick.C:
		}
	}
}

// errDeadline marks a job not submitted within its submit deadline.
var errDeadline = errors.New("submit deadline passed")

// submit is the load's operation: it submits job i, retrying until the
// submit deadline, which counts from the job's due time.
func (x *run) submit(ctx context.Context, _ int, i int64) error {
	off, _ := x.sched.Start(i)
	op := &x.ops[i]
	op.ID = fmt.Sprintf("job-%06d", i)
	op.Due = x.origin.Add(off)
	ctx, cancel := context.WithDeadline(ctx, op.Due.Add(x.e.SubmitDeadline))
	defer cancel()
	backoff := x.pipe.Config().Backoff
	for {
		op.Attempts++
		err := x.pipe.Submit(ctx, op.ID)
		if err == nil {
			op.Submitted = time.Now()
			op.Err = nil
			return nil
		}
		op.Err = err
		select {
		case <-ctx.Done():
			op.Err = fmt.Errorf("%w after %d attempts: %w", errDeadline,
				op.Attempts, err)
			return op.Err
		case <-time.After(backoff):
		}
	}
}
