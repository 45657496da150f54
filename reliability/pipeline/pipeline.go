package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

// Pipeline runs the relay, the sweeper and a pool of workers against one
// PostgreSQL database and one Redis stream. Its methods are safe for
// concurrent use.
type Pipeline struct {
	cfg Config
	db  *pgxpool.Pool
	rdb *redis.Client
	log *slog.Logger
	st  Stats // updated atomically

	mu        sync.Mutex
	ctx       context.Context // the pipeline's life; nil before Start
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	workers   map[int]*worker
	nextID    int
	published []Announcement
}

// Announcement is one XADD that Redis acknowledged.
type Announcement struct {
	JobID string
	Entry string    // the stream entry id
	At    time.Time // when the acknowledgement arrived
}

// New returns a pipeline on db and rdb; nothing runs before Start. The
// caller keeps ownership of both clients. log may be nil.
func New(db *pgxpool.Pool, rdb *redis.Client, cfg Config,
	log *slog.Logger) (*Pipeline, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Pipeline{cfg: cfg, db: db, rdb: rdb, log: log,
		workers: map[int]*worker{}}, nil
}

// Config returns the configuration in force, defaults filled in.
func (p *Pipeline) Config() Config { return p.cfg }

// Start creates the consumer group if needed and starts the relay, the
// sweeper and Config.Workers workers. They run until ctx ends or Stop.
func (p *Pipeline) Start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctx != nil {
		return errors.New("pipeline already started")
	}
	if err := p.ensureGroup(ctx); err != nil {
		return err
	}
	p.ctx, p.cancel = context.WithCancel(ctx)
	if p.cfg.Variant != NoOutbox {
		p.wg.Go(p.relay)
	}
	if p.cfg.Variant != NoReclaim {
		p.wg.Go(p.sweeper)
	}
	for range p.cfg.Workers {
		p.spawnLocked()
	}
	return nil
}

// Stop stops every goroutine of the pipeline and waits for them.
func (p *Pipeline) Stop() {
	p.mu.Lock()
	cancel := p.cancel
	p.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	p.wg.Wait()
}

// Submit creates job id. In the reference pipeline the job and its outbox
// row commit together, so a nil error means the job will be done. The
// NoOutbox variant commits the job, then announces it once and reports
// success even when the announcement fails. Submitting an id twice is
// harmless. Each call to a service is bounded by Config.OpTimeout.
func (p *Pipeline) Submit(ctx context.Context, id string) error {
	inc(&p.st.SubmitCalls)
	bare := p.cfg.Variant == NoOutbox
	if err := p.withTimeout(ctx, func(ctx context.Context) error {
		return insertJob(ctx, p.db, id, bare)
	}); err != nil {
		inc(&p.st.SubmitErrors)
		return fmt.Errorf("submit %s: %w", id, err)
	}
	if bare {
		if err := p.announce(ctx, []string{id}); err != nil {
			inc(&p.st.PublishErrors)
			p.log.Debug("announce after commit failed", "job", id, "err", err)
		}
	}
	return nil
}

// Published returns every announcement Redis acknowledged, in order.
func (p *Pipeline) Published() []Announcement {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Announcement(nil), p.published...)
}

// announce adds one stream entry per job in one round trip, records the
// acknowledged ones and returns the first error.
func (p *Pipeline) announce(ctx context.Context, ids []string) error {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.OpTimeout)
	defer cancel()
	cmds := make([]*redis.StringCmd, len(ids))
	_, err := p.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = pl.XAdd(ctx, &redis.XAddArgs{Stream: p.cfg.Stream,
				Values: []string{"job", id}})
		}
		return nil
	})
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, c := range cmds {
		if c.Err() == nil {
			p.published = append(p.published,
				Announcement{JobID: ids[i], Entry: c.Val(), At: now})
			inc(&p.st.Announced)
		}
	}
	return err
}

// ensureGroup creates the consumer group, and the stream with it, unless
// they exist. It reads from the start, so entries added before the group
// was (re)created are delivered too.
func (p *Pipeline) ensureGroup(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.OpTimeout)
	defer cancel()
	err := p.rdb.XGroupCreateMkStream(ctx, p.cfg.Stream, p.cfg.Group, "0").Err()
	if err != nil && !isBusyGroup(err) {
		return fmt.Errorf("create consumer group %s: %w", p.cfg.Group, err)
	}
	return nil
}

// withTimeout runs fn under Config.OpTimeout.
func (p *Pipeline) withTimeout(ctx context.Context,
	fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.OpTimeout)
	defer cancel()
	return fn(ctx)
}

// pause waits Config.Backoff or until ctx ends, and reports whether ctx is
// still live.
func (p *Pipeline) pause(ctx context.Context) bool {
	t := time.NewTimer(p.cfg.Backoff)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
