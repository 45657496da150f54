package scheduler

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/scaletest/scaletest/youtubeapi/internal/rolling"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// Upload is one video to publish.
type Upload struct {
	// ID identifies the upload; unique among those submitted and not yet
	// done or failed.
	ID      string
	Channel string
	// Priority orders uploads: higher goes first.
	Priority int
	// Deadline is when the video should be published; zero is none.
	// Among equal priorities the earliest deadline goes first.
	Deadline time.Time
	// NotBefore holds the upload back until then; zero is at once.
	NotBefore time.Time
}

// Decision is an upload the caller should start now.
type Decision struct {
	Upload  Upload
	Project string
	// Attempt counts tries of this upload, from 1.
	Attempt int
	// Reservation is the quota set aside for the call; Report settles it.
	Reservation quota.Reservation
	// FollowUps are the reservations of Config.FollowUps, in that order.
	// After a successful insert the caller makes those calls and settles
	// each through the project's Gate (or releases it); when the insert
	// does not succeed, Report releases them.
	FollowUps []quota.Reservation
	// Late is true when the deadline has passed.
	Late bool
}

// ErrUnknown is returned for an upload or channel the scheduler does not
// know.
var ErrUnknown = errors.New("unknown to the scheduler")

type project struct {
	id       string
	gate     Gate
	ready    ready
	hold     hold
	breaker  breakerState
	channels []*channel
}

type channel struct {
	id         string
	p          *project
	idx        int // in p.ready, -1 when not there
	queue      queue
	capacity   int // configured cap, 0 unknown
	learned    int // cap learned from uploadLimitExceeded, 0 none
	window     rolling.Window
	inflight   int
	lastServed uint64
	hold       hold
	breaker    breakerState
}

// cap returns the channel's effective cap; 0 is none.
func (c *channel) cap() int {
	switch {
	case c.learned == 0:
		return c.capacity
	case c.capacity == 0:
		return c.learned
	}
	return min(c.capacity, c.learned)
}

type running struct {
	it      *item
	res     []quota.Reservation // the insert, then its follow-ups
	started time.Time
}

// Scheduler chooses uploads; see the package documentation.
type Scheduler struct {
	cfg      Config
	methods  []string // the insert, then the follow-ups
	rnd      *rand.Rand
	projects []*project
	channels map[string]*channel
	items    map[string]*item // waiting: queued or delayed
	running  map[string]running
	delayed  delayed
	timers   timers
	seq      uint64
	served   uint64
	stats    Stats
}

// New returns a Scheduler for cfg; see DefaultConfig.
func New(cfg Config) (*Scheduler, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Scheduler{
		cfg:      cfg,
		methods:  append([]string{cfg.Method}, cfg.FollowUps...),
		rnd:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5ca1e)),
		channels: map[string]*channel{},
		items:    map[string]*item{},
		running:  map[string]running{},
		stats:    Stats{Deferred: map[Reason]int{}},
	}
	for _, pc := range cfg.Projects {
		p := &project{id: pc.ID, gate: pc.Quota}
		for _, cc := range pc.Channels {
			c := &channel{id: cc.ID, p: p, idx: -1,
				capacity: cc.UploadsPerDay,
				window:   rolling.Window{Span: cfg.Window}}
			p.channels = append(p.channels, c)
			s.channels[cc.ID] = c
		}
		s.projects = append(s.projects, p)
	}
	return s, nil
}

// Submit queues u at time now.
func (s *Scheduler) Submit(u Upload, now time.Time) error {
	c, ok := s.channels[u.Channel]
	if !ok {
		return fmt.Errorf("submit %s: channel %q: %w", u.ID, u.Channel,
			ErrUnknown)
	}
	if _, dup := s.items[u.ID]; dup {
		return fmt.Errorf("submit %s: already waiting", u.ID)
	}
	if _, dup := s.running[u.ID]; dup {
		return fmt.Errorf("submit %s: already running", u.ID)
	}
	s.seq++
	it := &item{u: u, seq: s.seq, ch: c, idx: -1}
	s.items[u.ID] = it
	s.stats.Submitted++
	if u.NotBefore.After(now) {
		s.delay(it, u.NotBefore, ReasonNotBefore)
		return nil
	}
	s.enqueue(it, now)
	return nil
}

// enqueue puts it in its channel's queue and the channel in its project's
// ready heap when the channel may start uploads.
func (s *Scheduler) enqueue(it *item, now time.Time) {
	c := it.ch
	heap.Push(&c.queue, it)
	if c.idx >= 0 {
		heap.Fix(&c.p.ready, c.idx)
		return
	}
	s.wake(c, now)
}

func (s *Scheduler) delay(it *item, until time.Time, why Reason) {
	it.readyAt, it.wait = until, why
	heap.Push(&s.delayed, it)
}

// wake puts c in its project's ready heap if it has work and no hold.
// Caps are checked when Next reaches it.
func (s *Scheduler) wake(c *channel, now time.Time) {
	if c.idx >= 0 || len(c.queue) == 0 || c.hold.active(now) {
		return
	}
	heap.Push(&c.p.ready, c)
}

// block takes c out of the ready heap with h; a timer wakes it at
// h.until unless h ends only by another event (zero until).
func (s *Scheduler) block(c *channel, h hold) {
	c.hold = h
	if c.idx >= 0 {
		heap.Remove(&c.p.ready, c.idx)
	}
	if !h.until.IsZero() {
		heap.Push(&s.timers, timer{at: h.until, ch: c})
	}
}

// advance releases what time has freed by now.
func (s *Scheduler) advance(now time.Time) {
	for len(s.delayed) > 0 && !s.delayed[0].readyAt.After(now) {
		it := heap.Pop(&s.delayed).(*item)
		it.wait = ReasonNone
		s.enqueue(it, now)
	}
	for len(s.timers) > 0 && !s.timers[0].at.After(now) {
		t := heap.Pop(&s.timers).(timer)
		s.wake(t.ch, now)
	}
}

// capHold returns the hold of c's rolling cap at now, if any.
func (s *Scheduler) capHold(c *channel, now time.Time) (hold, bool) {
	limit := c.cap()
	if limit == 0 {
		return hold{}, false
	}
	done := c.window.Count(now)
	if done+c.inflight < limit {
		return hold{}, false
	}
	h := hold{reason: ReasonChannelCap, text: fmt.Sprintf(
		"channel %s: %d uploads in the last %v and %d running, cap %d",
		c.id, done, s.cfg.Window, c.inflight, limit)}
	if oldest, ok := c.window.Oldest(now); ok && done >= limit {
		h.until = oldest.Add(s.cfg.Window)
		h.text += "; next slot " + h.until.UTC().Format(time.RFC3339)
	} else {
		h.text += "; next slot when a running upload ends"
	}
	return h, true
}

// best returns the project whose best channel goes next, or nil.
func (s *Scheduler) best(now time.Time) *project {
	var best *project
	for _, p := range s.projects {
		if len(p.ready) == 0 || p.hold.active(now) {
			continue
		}
		if best == nil || goesFirst(p.ready[0], best.ready[0]) {
			best = p
		}
	}
	return best
}

// Next returns the upload to start at now, with its quota reserved, or
// ok false when none may start; WakeAt then says when to ask again. An
// error means the quota store failed; nothing was started.
func (s *Scheduler) Next(ctx context.Context, now time.Time) (
	d Decision, ok bool, err error) {
	s.advance(now)
	for {
		p := s.best(now)
		if p == nil {
			return Decision{}, false, nil
		}
		c := p.ready[0]
		if h, full := s.capHold(c, now); full {
			s.block(c, h)
			continue
		}
		res, err := s.reserve(ctx, p, now)
		var ex *quota.ExhaustedError
		if errors.As(err, &ex) {
			p.hold = hold{reason: ReasonQuotaExhausted, until: ex.ResetAt,
				text: "quota: " + ex.Error()}
			continue
		}
		if err != nil {
			return Decision{}, false, fmt.Errorf("next upload: %w", err)
		}
		return s.start(c, res, now), true, nil
	}
}

// reserve sets aside the insert and its follow-ups, all or none.
func (s *Scheduler) reserve(ctx context.Context, p *project,
	now time.Time) ([]quota.Reservation, error) {
	out := make([]quota.Reservation, 0, len(s.methods))
	for _, m := range s.methods {
		r, err := p.gate.Reserve(ctx, m, now)
		if err != nil {
			return nil, errors.Join(err, s.release(ctx, p, out))
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *Scheduler) release(ctx context.Context, p *project,
	rs []quota.Reservation) error {
	var errs []error
	for _, r := range rs {
		errs = append(errs, p.gate.Release(ctx, r))
	}
	return errors.Join(errs...)
}

func (s *Scheduler) start(c *channel, res []quota.Reservation,
	now time.Time) Decision {
	it := heap.Pop(&c.queue).(*item)
	delete(s.items, it.u.ID)
	c.inflight++
	s.served++
	c.lastServed = s.served
	if len(c.queue) == 0 {
		heap.Remove(&c.p.ready, c.idx)
	} else {
		heap.Fix(&c.p.ready, c.idx)
	}
	s.running[it.u.ID] = running{it: it, res: res, started: now}
	var follow []quota.Reservation
	if len(res) > 1 {
		follow = res[1:]
	}
	late := !it.u.Deadline.IsZero() && now.After(it.u.Deadline)
	s.stats.Started++
	if late {
		s.stats.StartedLate++
	}
	return Decision{Upload: it.u, Project: c.p.id, Attempt: it.failures + 1,
		Reservation: res[0], FollowUps: follow, Late: late}
}

// WakeAt returns the earliest time after which Next may start something
// that it cannot start at now, without any Submit or Report in between;
// ok is false when only a Submit or Report can change anything.
func (s *Scheduler) WakeAt(now time.Time) (t time.Time, ok bool) {
	consider := func(c time.Time) {
		if c.After(now) && (!ok || c.Before(t)) {
			t, ok = c, true
		}
	}
	if len(s.delayed) > 0 {
		consider(s.delayed[0].readyAt)
	}
	if len(s.timers) > 0 {
		consider(s.timers[0].at)
	}
	for _, p := range s.projects {
		if len(p.ready) > 0 && p.hold.active(now) {
			consider(p.hold.until)
		}
	}
	return t, ok
}

// Waiting returns the number of uploads submitted and not running, done
// or failed.
func (s *Scheduler) Waiting() int { return len(s.items) }

// Running returns the number of uploads started and not yet reported.
func (s *Scheduler) Running() int { return len(s.running) }
