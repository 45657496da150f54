package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// reclaimBatch is the most entries a worker takes over at once.
const reclaimBatch = 16

// worker is one consumer of the stream.
type worker struct {
	id    int
	name  string
	crash atomic.Bool   // die at the next crash point
	done  chan struct{} // closed when the worker has stopped
}

// spawnLocked starts a worker; p.mu is held and p.ctx set.
func (p *Pipeline) spawnLocked() {
	p.nextID++
	w := &worker{id: p.nextID, name: fmt.Sprintf("w%d", p.nextID),
		done: make(chan struct{})}
	p.workers[w.id] = w
	ctx := p.ctx
	p.wg.Go(func() {
		defer close(w.done)
		p.consume(ctx, w)
		p.mu.Lock()
		delete(p.workers, w.id)
		p.mu.Unlock()
	})
}

// consume reads and handles entries until ctx ends or the worker crashes.
// Every few rounds it first takes over entries that other consumers left
// idle for Config.ReclaimIdle.
func (p *Pipeline) consume(ctx context.Context, w *worker) {
	lastReclaim := time.Now()
	for ctx.Err() == nil {
		var msgs []redis.XMessage
		var err error
		if p.cfg.Variant != NoReclaim &&
			time.Since(lastReclaim) >= p.cfg.ReclaimEvery {
			lastReclaim = time.Now()
			msgs, err = p.reclaim(ctx, w)
		}
		if err == nil && len(msgs) == 0 {
			msgs, err = p.read(ctx, w)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			p.readFailed(ctx, err)
			continue
		}
		for _, m := range msgs {
			if !p.handle(ctx, w, m) {
				return
			}
		}
	}
}

// readFailed recreates the consumer group when Redis lost it, else counts
// the error, and backs off.
func (p *Pipeline) readFailed(ctx context.Context, err error) {
	if isNoGroup(err) {
		if p.ensureGroup(ctx) == nil {
			inc(&p.st.GroupsRecreated)
			p.log.Debug("consumer group recreated", "group", p.cfg.Group)
		}
	} else {
		inc(&p.st.Errors)
		p.log.Debug("read stream", "err", err)
	}
	p.pause(ctx)
}

// read waits up to Config.Block for new entries.
func (p *Pipeline) read(ctx context.Context, w *worker) ([]redis.XMessage,
	error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.OpTimeout+p.cfg.Block)
	defer cancel()
	res, err := p.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: p.cfg.Group, Consumer: w.name, Streams: []string{p.cfg.Stream, ">"},
		Count: 1, Block: p.cfg.Block,
	}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil || len(res) == 0 {
		return nil, err
	}
	return res[0].Messages, nil
}

// reclaim takes over entries idle for Config.ReclaimIdle.
func (p *Pipeline) reclaim(ctx context.Context, w *worker) ([]redis.XMessage,
	error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.OpTimeout)
	defer cancel()
	msgs, _, err := p.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream: p.cfg.Stream, Group: p.cfg.Group, Consumer: w.name,
		MinIdle: p.cfg.ReclaimIdle, Start: "0-0", Count: reclaimBatch,
	}).Result()
	if err != nil {
		return nil, err
	}
	atomic.AddInt64(&p.st.Reclaimed, int64(len(msgs)))
	return msgs, nil
}

// handle runs one delivery: claim, work, result, acknowledge. A failed
// call leaves the entry pending and the lease to expire, for a reclaim or
// the sweeper to pick up. It returns false when the worker crashed.
func (p *Pipeline) handle(ctx context.Context, w *worker, m redis.XMessage) bool {
	inc(&p.st.Deliveries)
	jobID, _ := m.Values["job"].(string)
	if jobID == "" {
		p.ack(ctx, m.ID) // not an entry of ours
		return true
	}

	var claimed bool
	err := p.withTimeout(ctx, func(ctx context.Context) (err error) {
		claimed, err = claim(ctx, p.db, jobID, w.name, p.cfg.Lease)
		return err
	})
	switch {
	case err != nil:
		p.failed("claim", jobID, err)
		return true
	case !claimed:
		inc(&p.st.Redundant)
		p.ack(ctx, m.ID)
		return true
	}
	inc(&p.st.Claims)

	out, err := p.doWork(ctx, jobID)
	if err != nil {
		if ctx.Err() == nil {
			p.failed("work", jobID, err)
		}
		return true
	}
	inc(&p.st.Executions)
	if w.crash.Load() {
		// The crash point: the lease is held, the work is lost, the
		// entry stays pending, as after a kill -9 of the worker.
		inc(&p.st.Crashes)
		p.log.Debug("worker crashed mid-job", "worker", w.name, "job", jobID)
		return false
	}

	var stored bool
	err = p.withTimeout(ctx, func(ctx context.Context) (err error) {
		stored, err = complete(ctx, p.db, jobID, w.name, out)
		return err
	})
	if err != nil {
		p.failed("store result", jobID, err)
		return true
	}
	if stored {
		inc(&p.st.Results)
	} else {
		inc(&p.st.Duplicates)
	}
	p.ack(ctx, m.ID)
	return true
}

// doWork runs Config.Work, or sleeps Config.WorkDelay.
func (p *Pipeline) doWork(ctx context.Context, jobID string) (string, error) {
	if p.cfg.Work != nil {
		return p.cfg.Work(ctx, jobID)
	}
	t := time.NewTimer(p.cfg.WorkDelay)
	defer t.Stop()
	select {
	case <-t.C:
		return "rendered " + jobID, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (p *Pipeline) ack(ctx context.Context, entry string) {
	err := p.withTimeout(ctx, func(ctx context.Context) error {
		return p.rdb.XAck(ctx, p.cfg.Stream, p.cfg.Group, entry).Err()
	})
	if err != nil {
		p.failed("ack", entry, err)
	}
}

func (p *Pipeline) failed(step, id string, err error) {
	inc(&p.st.Errors)
	p.log.Debug(step+" failed", "id", id, "err", err)
}

// Crash makes n live workers die at their next crash point, between the
// work and the result, and waits until they have: each leaves a lease
// held and an entry pending. It implements fault.Crasher.
func (p *Pipeline) Crash(ctx context.Context, n int) error {
	p.mu.Lock()
	var doomed []*worker
	for id := 1; id <= p.nextID && len(doomed) < n; id++ {
		if w := p.workers[id]; w != nil && !w.crash.Load() {
			w.crash.Store(true)
			doomed = append(doomed, w)
		}
	}
	p.mu.Unlock()
	if len(doomed) < n {
		return fmt.Errorf("crash %d workers: only %d alive", n, len(doomed))
	}
	for _, w := range doomed {
		select {
		case <-w.done:
		case <-ctx.Done():
			return fmt.Errorf("crash worker %s: no job reached before the "+
				"deadline: %w", w.name, ctx.Err())
		}
	}
	return nil
}

// Respawn starts n new workers under new consumer names. It implements
// fault.Crasher.
func (p *Pipeline) Respawn(ctx context.Context, n int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctx == nil || p.ctx.Err() != nil {
		return errors.New("respawn workers: pipeline not running")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("respawn workers: %w", err)
	}
	for range n {
		p.spawnLocked()
	}
	return nil
}

// Alive returns the number of workers running.
func (p *Pipeline) Alive() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.workers)
}
