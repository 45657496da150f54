package scheduler

import (
	"fmt"
	"sort"
	"time"
)

// Deferrals returns why each waiting upload waits at now, ordered by
// project, channel and upload order. It walks every waiting upload: call
// it for reports, not per step.
func (s *Scheduler) Deferrals(now time.Time) []Deferral {
	s.advance(now)
	out := make([]Deferral, 0, len(s.items))
	for _, p := range s.projects {
		for _, c := range p.channels {
			its := append([]*item(nil), c.queue...)
			sort.Slice(its, func(i, j int) bool { return its[i].before(its[j]) })
			for _, it := range its {
				out = append(out, s.why(it, now))
			}
		}
	}
	del := append([]*item(nil), s.delayed...)
	sort.Slice(del, func(i, j int) bool { return del[i].seq < del[j].seq })
	for _, it := range del {
		out = append(out, s.why(it, now))
	}
	return out
}

// Why returns why upload id waits at now; ok is false when it is not
// waiting (unknown, running, done or failed).
func (s *Scheduler) Why(id string, now time.Time) (d Deferral, ok bool) {
	it, ok := s.items[id]
	if !ok {
		return Deferral{}, false
	}
	s.advance(now)
	return s.why(it, now), true
}

func (s *Scheduler) why(it *item, now time.Time) Deferral {
	c := it.ch
	d := Deferral{Upload: it.u.ID, Channel: c.id, Project: c.p.id}
	set := func(h hold) Deferral {
		d.Reason, d.Until, d.Text = h.reason, h.until, h.text
		return d
	}
	switch {
	case it.wait != ReasonNone: // delayed
		d.Reason, d.Until = it.wait, it.readyAt
		d.Text = fmt.Sprintf("upload %s: %s until %s", it.u.ID, it.wait,
			it.readyAt.UTC().Format(time.RFC3339))
		return d
	case c.p.hold.active(now):
		return set(c.p.hold)
	case c.hold.active(now):
		return set(c.hold)
	}
	if h, full := s.capHold(c, now); full {
		return set(h)
	}
	d.Reason = ReasonQueued
	d.Text = fmt.Sprintf("upload %s: may start; waits for Next (others "+
		"of higher priority, earlier deadline or on channels served "+
		"longer ago go first)", it.u.ID)
	return d
}
