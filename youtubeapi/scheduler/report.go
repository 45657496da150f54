package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/scaletest/scaletest/youtubeapi"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// Action is what the scheduler did with a reported upload.
type Action int

// Actions of a Disposition.
const (
	// Done: the upload succeeded and leaves the scheduler.
	Done Action = iota + 1
	// Requeued: it waits again (see the Disposition's Reason and Until).
	Requeued
	// Failed: it failed for good and leaves the scheduler.
	Failed
)

var actionNames = [...]string{"", "done", "requeued", "failed"}

// String names a.
func (a Action) String() string {
	if a > 0 && int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// Disposition is what Report did with an upload and why.
type Disposition struct {
	Action Action
	// Class is the outcome's class (youtubeapi.Classify).
	Class  youtubeapi.Class
	Reason Reason
	Until  time.Time
	Text   string
	// Charged is the quota the call was charged, in units.
	Charged quota.Units
}

// Stats counts what the scheduler did since New.
type Stats struct {
	Submitted, Started, StartedLate, Done, Failed, Retried int
	// Deferred counts requeues by reason.
	Deferred map[Reason]int
	// Charged is the quota settled through the scheduler, in units.
	Charged quota.Units
}

// Stats returns the counters; the map is a copy.
func (s *Scheduler) Stats() Stats {
	st := s.stats
	st.Deferred = make(map[Reason]int, len(s.stats.Deferred))
	for k, v := range s.stats.Deferred {
		st.Deferred[k] = v
	}
	return st
}

// breakerState is one breaker's memory; see Breaker.
type breakerState struct {
	failures int
	halfOpen bool
}

// fail records a retryable failure and reports whether the breaker opens.
func (b *breakerState) fail(cfg Breaker) bool {
	b.failures++
	if b.halfOpen || b.failures >= cfg.Failures {
		b.failures, b.halfOpen = 0, true
		return true
	}
	return false
}

func (b *breakerState) succeed() { *b = breakerState{} }

// Report tells the scheduler how the call of upload id ended at now. It
// settles the upload's quota reservation and reacts to the outcome as the
// package documentation says. The error, when not nil, is from the quota
// store; the scheduler's own state is updated regardless.
func (s *Scheduler) Report(ctx context.Context, id string,
	o youtubeapi.Outcome, now time.Time) (Disposition, error) {
	r, ok := s.running[id]
	if !ok {
		return Disposition{}, fmt.Errorf("report %s: %w", id, ErrUnknown)
	}
	delete(s.running, id)
	it, c := r.it, r.it.ch
	p := c.p
	c.inflight--

	charged, err := p.gate.Settle(ctx, r.res[0], o, now)
	if o.Class() != youtubeapi.ClassOK {
		err = errors.Join(err, s.release(ctx, p, r.res[1:]))
	}
	if err != nil {
		err = fmt.Errorf("report %s: %w", id, err)
	}
	s.stats.Charged += charged
	d := s.react(it, o, now)
	d.Charged = charged
	switch d.Action {
	case Done:
		s.stats.Done++
	case Failed:
		s.stats.Failed++
	case Requeued:
		s.stats.Deferred[d.Reason]++
		s.items[id] = it
		if d.Reason != ReasonBackoff {
			s.enqueue(it, now)
		}
	}
	s.wake(c, now) // a running slot is free
	return d, err
}

// react applies outcome o of it at now to the scheduler's state.
func (s *Scheduler) react(it *item, o youtubeapi.Outcome,
	now time.Time) Disposition {
	c := it.ch
	p := c.p
	d := Disposition{Class: o.Class(), Action: Requeued}
	switch d.Class {
	case youtubeapi.ClassOK:
		c.window.Add(now)
		c.breaker.succeed()
		p.breaker.succeed()
		d.Action = Done
		return d

	case youtubeapi.ClassQuota:
		p.hold = hold{reason: ReasonQuotaExhausted,
			until: quota.NextReset(now),
			text: fmt.Sprintf("project %s: YouTube said %s; waiting for "+
				"the Pacific midnight reset, never another project", p.id, o)}
		return d.from(p.hold)

	case youtubeapi.ClassChannelCap:
		inWindow := c.window.Count(now)
		c.learned = max(inWindow, 1)
		s.block(c, hold{reason: ReasonUploadLimitExceeded,
			until: now.Add(s.cfg.CapPause),
			text: fmt.Sprintf("channel %s: uploadLimitExceeded after %d "+
				"uploads in %v; cap learned as %d, channel paused %v",
				c.id, inWindow, s.cfg.Window, c.learned, s.cfg.CapPause)})
		return d.from(c.hold)

	case youtubeapi.ClassCanceled:
		d.Reason = ReasonQueued
		d.Text = "the caller canceled the call; queued again"
		return d

	case youtubeapi.ClassPermanent:
		d.Action = Failed
		d.Text = fmt.Sprintf("upload %s failed for good: %s", it.u.ID, o)
		return d
	}

	// ClassRetry: back off, at the level the reason names.
	it.failures++
	s.stats.Retried++
	if m := s.cfg.Backoff.MaxAttempts; m > 0 && it.failures >= m {
		d.Action = Failed
		d.Text = fmt.Sprintf("upload %s: %d retryable failures, last %s",
			it.u.ID, it.failures, o)
		return d
	}
	wait := s.cfg.Backoff.Delay(it.failures, s.rnd)
	until := now.Add(wait)
	switch o.Reason {
	case youtubeapi.ReasonRateLimitExceeded:
		p.hold = hold{reason: ReasonRateLimited, until: until,
			text: fmt.Sprintf("project %s: %s; backing off %v", p.id, o,
				wait)}
		return d.from(p.hold)
	case youtubeapi.ReasonUserRateLimitExceeded:
		s.block(c, hold{reason: ReasonUserRateLimited, until: until,
			text: fmt.Sprintf("channel %s: %s; backing off %v", c.id, o,
				wait)})
		return d.from(c.hold)
	}
	s.delay(it, until, ReasonBackoff)
	d.Reason, d.Until = ReasonBackoff, until
	d.Text = fmt.Sprintf("upload %s: %s, failure %d; retry in %v", it.u.ID,
		o, it.failures, wait)
	if c.breaker.fail(s.cfg.ChannelBreaker) {
		s.block(c, hold{reason: ReasonChannelBreaker,
			until: now.Add(s.cfg.ChannelBreaker.OpenFor),
			text: fmt.Sprintf("channel %s: breaker open after repeated "+
				"failures, last %s", c.id, o)})
	}
	if p.breaker.fail(s.cfg.ProjectBreaker) {
		p.hold = hold{reason: ReasonProjectBreaker,
			until: now.Add(s.cfg.ProjectBreaker.OpenFor),
			text: fmt.Sprintf("project %s: upload bucket breaker open after "+
				"repeated failures, last %s", p.id, o)}
	}
	return d
}

func (d Disposition) from(h hold) Disposition {
	d.Reason, d.Until, d.Text = h.reason, h.until, h.text
	return d
}
