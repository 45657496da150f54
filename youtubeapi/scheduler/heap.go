package scheduler

import (
	"container/heap"
	"time"
)

// item is one upload inside the scheduler.
type item struct {
	u        Upload
	seq      uint64 // submission order
	ch       *channel
	failures int       // retryable failures so far
	readyAt  time.Time // while delayed
	wait     Reason    // while delayed: ReasonBackoff or ReasonNotBefore
	idx      int       // index in the heap that holds it
}

// before orders uploads: priority, then deadline, then submission.
func (a *item) before(b *item) bool {
	if a.u.Priority != b.u.Priority {
		return a.u.Priority > b.u.Priority
	}
	ad, bd := a.u.Deadline, b.u.Deadline
	if !ad.Equal(bd) {
		switch {
		case ad.IsZero():
			return false
		case bd.IsZero():
			return true
		}
		return ad.Before(bd)
	}
	return a.seq < b.seq
}

// queue is a channel's waiting uploads, best first.
type queue []*item

func (q queue) Len() int           { return len(q) }
func (q queue) Less(i, j int) bool { return q[i].before(q[j]) }
func (q queue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].idx, q[j].idx = i, j
}
func (q *queue) Push(x any) { it := x.(*item); it.idx = len(*q); *q = append(*q, it) }
func (q *queue) Pop() any {
	old := *q
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	it.idx = -1
	return it
}

// delayed is uploads waiting for a time, earliest first.
type delayed []*item

func (q delayed) Len() int           { return len(q) }
func (q delayed) Less(i, j int) bool { return q[i].readyAt.Before(q[j].readyAt) }
func (q delayed) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].idx, q[j].idx = i, j
}
func (q *delayed) Push(x any) { it := x.(*item); it.idx = len(*q); *q = append(*q, it) }
func (q *delayed) Pop() any {
	old := *q
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	it.idx = -1
	return it
}

// ready is a project's channels that may start an upload, best first.
type ready []*channel

func (r ready) Len() int           { return len(r) }
func (r ready) Less(i, j int) bool { return goesFirst(r[i], r[j]) }

// goesFirst orders channels with work by their best upload's priority and
// deadline, then serves the one served longest ago (fairness).
func goesFirst(x, y *channel) bool {
	a, b := x.queue[0], y.queue[0]
	if a.u.Priority != b.u.Priority || !a.u.Deadline.Equal(b.u.Deadline) {
		return a.before(b)
	}
	if x.lastServed != y.lastServed {
		return x.lastServed < y.lastServed
	}
	return a.seq < b.seq
}
func (r ready) Swap(i, j int) {
	r[i], r[j] = r[j], r[i]
	r[i].idx, r[j].idx = i, j
}
func (r *ready) Push(x any) { c := x.(*channel); c.idx = len(*r); *r = append(*r, c) }
func (r *ready) Pop() any {
	old := *r
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*r = old[:len(old)-1]
	c.idx = -1
	return c
}

// timer wakes a blocked channel; stale timers are ignored when popped.
type timer struct {
	at time.Time
	ch *channel
}

type timers []timer

func (t timers) Len() int           { return len(t) }
func (t timers) Less(i, j int) bool { return t[i].at.Before(t[j].at) }
func (t timers) Swap(i, j int)      { t[i], t[j] = t[j], t[i] }
func (t *timers) Push(x any)        { *t = append(*t, x.(timer)) }
func (t *timers) Pop() any {
	old := *t
	x := old[len(old)-1]
	*t = old[:len(old)-1]
	return x
}

var (
	_ heap.Interface = (*queue)(nil)
	_ heap.Interface = (*delayed)(nil)
	_ heap.Interface = (*ready)(nil)
	_ heap.Interface = (*timers)(nil)
)
