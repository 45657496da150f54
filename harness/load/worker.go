package load

import (
	"errors"
	"runtime"
	"sync"
	"time"
)

// worker holds the counts of one worker goroutine; only it writes them
// until the run is over. Its durations go to a shared shard.
type worker struct {
	id                    int
	sh                    *shard
	completed, errs, late int64
	classes               map[string]int64 // made on the first error
	end                   time.Time        // when its last operation ended
}

func (w *worker) record(latency, service time.Duration, end time.Time, err error,
	classify func(error) string) {
	w.sh.record(latency, service)
	w.completed++
	w.end = end
	if err != nil {
		w.errs++
		if w.classes == nil {
			w.classes = map[string]int64{}
		}
		w.classes[classify(err)]++
	}
}

// shard is a pair of histograms that a few workers share under a lock.
// Workers map onto shards by index, so memory is bounded by the number of
// shards (about 360 KB each) however many workers a stall calls up, and
// the lock is rarely contended.
type shard struct {
	mu       sync.Mutex
	lat, svc *Histogram
}

func (s *shard) record(latency, service time.Duration) {
	s.mu.Lock()
	s.lat.Record(latency)
	s.svc.Record(service)
	s.mu.Unlock()
}

// shards are made as workers start.
type shards struct {
	highest time.Duration
	all     []*shard
	n       int
}

// newShards allows one shard per worker up to twice GOMAXPROCS (at least
// 4).
func newShards(workers int, highest time.Duration) *shards {
	return &shards{highest: highest, n: min(workers, max(4, 2*runtime.GOMAXPROCS(0)))}
}

// get returns the shard of worker id; it must be called from one
// goroutine.
func (s *shards) get(id int) *shard {
	k := id % s.n
	if k == len(s.all) {
		s.all = append(s.all, &shard{
			lat: NewHistogram(s.highest), svc: NewHistogram(s.highest),
		})
	}
	return s.all[k]
}

// merge adds every shard's histograms into res.
func (s *shards) merge(res *Result) error {
	var errs []error
	for _, sh := range s.all {
		errs = append(errs, res.Latency.Merge(sh.lat), res.Service.Merge(sh.svc))
	}
	return errors.Join(errs...)
}

// gather adds the workers' counts into res and returns when the last
// operation ended (start when none did).
func gather(res *Result, ws []*worker, start time.Time) time.Time {
	last := start
	for _, w := range ws {
		res.Completed += w.completed
		res.Errors += w.errs
		res.Late += w.late
		for k, v := range w.classes {
			res.ErrorClasses[k] += v
		}
		if w.end.After(last) {
			last = w.end
		}
	}
	return last
}
