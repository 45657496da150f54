// Package rolling counts events in a sliding time window, such as a
// channel's uploads in the last 24 hours.
package rolling

import (
	"sort"
	"time"
)

// Window holds the times of events within Span of the latest query. The
// zero Window with a Span set is ready to use. Queries (Count, Oldest)
// must come in non-decreasing time: what they prune is gone. It is not
// safe for concurrent use.
type Window struct {
	Span  time.Duration
	times []time.Time // ascending; times[head:] are live
	head  int
}

// Add records an event at t. Events usually arrive in time order; one
// that does not is inserted in place.
func (w *Window) Add(t time.Time) {
	n := len(w.times)
	if n == w.head || !t.Before(w.times[n-1]) {
		w.times = append(w.times, t)
		return
	}
	live := w.times[w.head:]
	i := sort.Search(len(live), func(i int) bool { return live[i].After(t) })
	w.times = append(w.times, time.Time{})
	copy(w.times[w.head+i+1:], w.times[w.head+i:])
	w.times[w.head+i] = t
}

// Count returns the number of events in (now-Span, now].
func (w *Window) Count(now time.Time) int {
	w.prune(now)
	return len(w.times) - w.head
}

// Oldest returns the earliest event still in the window at now; ok is
// false when the window is empty. The window frees a slot at
// Oldest+Span.
func (w *Window) Oldest(now time.Time) (t time.Time, ok bool) {
	w.prune(now)
	if w.head == len(w.times) {
		return time.Time{}, false
	}
	return w.times[w.head], true
}

func (w *Window) prune(now time.Time) {
	cut := now.Add(-w.Span)
	for w.head < len(w.times) && !w.times[w.head].After(cut) {
		w.head++
	}
	// Compact once the dead prefix dominates, so memory stays bounded.
	if w.head > 32 && w.head*2 > len(w.times) {
		n := copy(w.times, w.times[w.head:])
		w.times = w.times[:n]
		w.head = 0
	}
}
