package des

import "time"

// Resource is a pool of identical servers with a FIFO waiting queue whose
// capacity may change during a run, as nodes start, fail or are
// interrupted. It counts; the scenario decides which job runs where and
// schedules completions. Jobs are the scenario's int32 indices.
//
// Capacity may fall below the number of busy servers: the scenario then
// either interrupts jobs (Interrupt) or lets them finish while no new job
// is admitted until Busy is below Capacity again.
type Resource struct {
	capacity int
	busy     int
	queue    Ring[waiter]

	// BusyTW, CapacityTW and QueueTW are the time-weighted number of busy
	// servers, servers and waiting jobs.
	BusyTW, CapacityTW, QueueTW TimeWeighted
	// Waits holds each admission's time in the queue, in seconds (zero
	// for a job that started at once).
	Waits *Histogram
	// Admitted counts admissions; Interrupted counts jobs taken off a
	// server before they finished.
	Admitted, Interrupted uint64

	busyS, capS, queueS *Series
}

type waiter struct {
	job   int32
	since time.Duration
}

// NewResource returns a Resource with capacity servers at time zero.
func NewResource(capacity int) *Resource {
	return &Resource{capacity: capacity,
		CapacityTW: NewTimeWeighted(0, float64(capacity)),
		Waits:      NewHistogram()}
}

// Track makes the resource keep Series of its busy servers, capacity and
// queue length over [0, horizon) in points slices.
func (r *Resource) Track(horizon time.Duration, points int) {
	r.busyS = NewSeries(horizon, points, float64(r.busy))
	r.capS = NewSeries(horizon, points, float64(r.capacity))
	r.queueS = NewSeries(horizon, points, float64(r.queue.Len()))
}

// Capacity returns the number of servers.
func (r *Resource) Capacity() int { return r.capacity }

// Busy returns the number of servers serving a job.
func (r *Resource) Busy() int { return r.busy }

// Queued returns the number of jobs waiting.
func (r *Resource) Queued() int { return r.queue.Len() }

// Request offers job at time now. It returns true when a server is free
// and nobody waits: the job holds a server from now. Otherwise the job
// joins the tail of the queue and Admit will hand it out later.
func (r *Resource) Request(now time.Duration, job int32) bool {
	if r.busy < r.capacity && r.queue.Len() == 0 {
		r.setBusy(now, r.busy+1)
		r.Admitted++
		r.Waits.Record(0)
		return true
	}
	r.queue.PushBack(waiter{job, now})
	r.setQueue(now)
	return false
}

// Requeue puts job at the head of the queue, as an interrupted job that
// must run again before newer work.
func (r *Resource) Requeue(now time.Duration, job int32) {
	r.queue.PushFront(waiter{job, now})
	r.setQueue(now)
}

// Admit takes the job at the head of the queue onto a free server. ok is
// false when no server is free or nobody waits; call it until it is.
func (r *Resource) Admit(now time.Duration) (job int32, waited time.Duration,
	ok bool) {
	if r.busy >= r.capacity {
		return 0, 0, false
	}
	w, ok := r.queue.PopFront()
	if !ok {
		return 0, 0, false
	}
	r.setQueue(now)
	r.setBusy(now, r.busy+1)
	r.Admitted++
	waited = now - w.since
	r.Waits.Record(sec(waited))
	return w.job, waited, true
}

// Release frees the server of a job that finished at time now. Call
// Admit afterwards to start the next job.
func (r *Resource) Release(now time.Duration) {
	if r.busy == 0 {
		panic("des: Release with no busy server")
	}
	r.setBusy(now, r.busy-1)
}

// Interrupt frees the server of a job that was stopped before it
// finished; the scenario usually Requeues it.
func (r *Resource) Interrupt(now time.Duration) {
	r.Release(now)
	r.Interrupted++
}

// SetCapacity changes the number of servers at time now. Call Admit
// afterwards: added servers take waiting jobs.
func (r *Resource) SetCapacity(now time.Duration, c int) {
	if c < 0 {
		panic("des: negative capacity")
	}
	r.capacity = c
	r.CapacityTW.Set(now, float64(c))
	if r.capS != nil {
		r.capS.Set(now, float64(c))
	}
}

// Series returns the tracked busy, capacity and queue series up to now;
// nil when Track was not called.
func (r *Resource) Series(now time.Duration) (busy, capacity,
	queue []SeriesPoint) {
	if r.busyS == nil {
		return nil, nil, nil
	}
	return r.busyS.Points(now), r.capS.Points(now), r.queueS.Points(now)
}

func (r *Resource) setBusy(now time.Duration, b int) {
	r.busy = b
	r.BusyTW.Set(now, float64(b))
	if r.busyS != nil {
		r.busyS.Set(now, float64(b))
	}
}

func (r *Resource) setQueue(now time.Duration) {
	q := float64(r.queue.Len())
	r.QueueTW.Set(now, q)
	if r.queueS != nil {
		r.queueS.Set(now, q)
	}
}
