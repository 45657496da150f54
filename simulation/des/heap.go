package des

import "time"

// A pending event is split in two: a 16-byte heap entry holding its time
// and a key (schedule sequence number and the index of its payload), and
// the payload (kind, arg, generation) in a slab. Four children of the
// 4-ary heap then fill one 64-byte cache line, and sifting moves 16 bytes
// instead of a whole event.
type entry struct {
	at  time.Duration
	key uint64 // seq<<slotBits | payload slot; orders ties by seq
}

const (
	slotBits = 24
	slotMask = 1<<slotBits - 1
	// maxPending is the most events that may be pending at once.
	maxPending = 1 << slotBits
	// maxSeq bounds the events one Sim may schedule (about 10^12).
	maxSeq = 1<<(64-slotBits) - 1
)

type payload struct {
	kind Kind
	arg  int32
	gen  uint32
}

func (e entry) less(o entry) bool {
	return e.at < o.at || (e.at == o.at && e.key < o.key)
}

// eventHeap is a 4-ary min-heap of entries ordered by (at, key).
type eventHeap []entry

func (h *eventHeap) push(e entry) {
	*h = append(*h, e)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !e.less(s[p]) {
			break
		}
		s[i] = s[p]
		i = p
	}
	s[i] = e
}

// pop removes and returns the earliest entry; the heap must not be
// empty. It moves the hole at the root down to a leaf along the smallest
// children, then lifts the last entry into it (Floyd's trick): fewer
// comparisons than a classic sift-down, since the last entry usually
// belongs near the bottom.
func (h *eventHeap) pop() entry {
	s := *h
	top := s[0]
	n := len(s) - 1
	last := s[n]
	s = s[:n]
	*h = s
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c+3 < n {
			kids := s[c : c+4 : c+4]
			m := 0
			if kids[1].less(kids[m]) {
				m = 1
			}
			if kids[2].less(kids[m]) {
				m = 2
			}
			if kids[3].less(kids[m]) {
				m = 3
			}
			s[i] = kids[m]
			i = c + m
			continue
		}
		if c >= n {
			break
		}
		m := c
		for j := c + 1; j < n; j++ {
			if s[j].less(s[m]) {
				m = j
			}
		}
		s[i] = s[m]
		i = m
		break
	}
	for i > 0 {
		p := (i - 1) / 4
		if !last.less(s[p]) {
			break
		}
		s[i] = s[p]
		i = p
	}
	s[i] = last
	return top
}
