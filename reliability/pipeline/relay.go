package pipeline

import (
	"context"
	"sync/atomic"
	"time"
)

// relayBatch is the most outbox rows the relay announces per round.
const relayBatch = 256

// relay announces unsent outbox rows every Config.RelayEvery until the
// pipeline stops. Rows are marked sent only after Redis acknowledged
// their entries, so a failure in between announces them again.
func (p *Pipeline) relay() {
	ctx := p.ctx
	tick := time.NewTicker(p.cfg.RelayEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for ctx.Err() == nil {
			n, err := p.relayOnce(ctx)
			if err != nil {
				inc(&p.st.Errors)
				p.log.Debug("relay", "err", err)
				break
			}
			if n < relayBatch {
				break
			}
		}
	}
}

// relayOnce announces one batch and returns its size.
func (p *Pipeline) relayOnce(ctx context.Context) (int, error) {
	var ids []string
	err := p.withTimeout(ctx, func(ctx context.Context) (err error) {
		ids, err = unsent(ctx, p.db, relayBatch)
		return err
	})
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	if err := p.announce(ctx, ids); err != nil {
		return 0, err
	}
	err = p.withTimeout(ctx, func(ctx context.Context) error {
		return markSent(ctx, p.db, ids)
	})
	return len(ids), err
}

// sweeper marks for announcement, every Config.SweepEvery, the jobs that
// are not done, hold no live lease and were announced more than
// Config.Redeliver ago.
func (p *Pipeline) sweeper() {
	ctx := p.ctx
	tick := time.NewTicker(p.cfg.SweepEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var n int64
		err := p.withTimeout(ctx, func(ctx context.Context) (err error) {
			n, err = sweep(ctx, p.db, p.cfg.Redeliver)
			return err
		})
		if err != nil {
			inc(&p.st.Errors)
			p.log.Debug("sweep", "err", err)
			continue
		}
		if n > 0 {
			atomic.AddInt64(&p.st.Reannounced, n)
			p.log.Debug("sweep: announcing again", "jobs", n)
		}
	}
}
