package month

import "time"

// backlog holds the videos that are processed and wait for YouTube,
// counted per minute of arrival: a count, the sum of arrival times and
// the sum of media seconds per minute. Memory is fixed by the run's
// length, not by how many wait, which may be millions when the quota
// binds. Videos leave oldest arrival first; the one taken stands for the
// mean of its minute, so a publish time is exact to within a minute of
// arrival time.
type backlog struct {
	n       []int32
	arrSum  []float64 // seconds since start
	mediaS  []float64 // media seconds
	oldest  int       // no non-empty bucket before this index
	total   int64
	arrAll  float64 // sum of arrival seconds of all waiting
	maxSeen int64
}

const backlogBucket = time.Minute

func newBacklog(end time.Duration) *backlog {
	n := int(end/backlogBucket) + 2
	return &backlog{n: make([]int32, n), arrSum: make([]float64, n),
		mediaS: make([]float64, n)}
}

// add puts one video that arrived at arrival (seconds since start) with
// media seconds of video into the backlog.
func (b *backlog) add(arrival, media float64) {
	i := min(int(arrival/backlogBucket.Seconds()), len(b.n)-1)
	b.n[i]++
	b.arrSum[i] += arrival
	b.mediaS[i] += media
	b.oldest = min(b.oldest, i)
	b.total++
	b.arrAll += arrival
	b.maxSeen = max(b.maxSeen, b.total)
}

// take removes one video of the oldest minute and returns its arrival
// and media seconds (the minute's means); ok is false when empty.
func (b *backlog) take() (arrival, media float64, ok bool) {
	if b.total == 0 {
		return 0, 0, false
	}
	for b.n[b.oldest] == 0 {
		b.oldest++
	}
	i := b.oldest
	k := float64(b.n[i])
	arrival, media = b.arrSum[i]/k, b.mediaS[i]/k
	b.n[i]--
	b.arrSum[i] -= arrival
	b.mediaS[i] -= media
	if b.n[i] == 0 {
		b.arrSum[i], b.mediaS[i] = 0, 0
	}
	b.total--
	b.arrAll -= arrival
	return arrival, media, true
}
