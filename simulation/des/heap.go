package des

// eventHeap is a 4-ary min-heap of events ordered by (At, seq). A 4-ary
// heap is shallower than a binary one and touches fewer cache lines per
// operation; events are stored by value, so pushing allocates only when
// the backing array grows.
type eventHeap []Event

func (e *Event) less(o *Event) bool {
	return e.At < o.At || (e.At == o.At && e.seq < o.seq)
}

func (h *eventHeap) push(ev Event) {
	*h = append(*h, ev)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !ev.less(&s[p]) {
			break
		}
		s[i] = s[p]
		i = p
	}
	s[i] = ev
}

// pop removes and returns the earliest event; the heap must not be empty.
// It moves the hole at the root down to a leaf along the smallest
// children, then lifts the last event into it (Floyd's trick): fewer
// comparisons than a classic sift-down, since the last event usually
// belongs near the bottom.
func (h *eventHeap) pop() Event {
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
			m := c
			if s[c+1].less(&s[m]) {
				m = c + 1
			}
			if s[c+2].less(&s[m]) {
				m = c + 2
			}
			if s[c+3].less(&s[m]) {
				m = c + 3
			}
			s[i] = s[m]
			i = m
			continue
		}
		if c >= n {
			break
		}
		m := c
		for j := c + 1; j < n; j++ {
			if s[j].less(&s[m]) {
				m = j
			}
		}
		s[i] = s[m]
		i = m
		break
	}
	// Lift last from the hole at i.
	for i > 0 {
		p := (i - 1) / 4
		if !last.less(&s[p]) {
			break
		}
		s[i] = s[p]
		i = p
	}
	s[i] = last
	return top
}
