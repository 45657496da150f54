package des

import (
	"fmt"
	"time"
)

// Kind says what an event means; its values belong to the scenario.
type Kind uint32

// Event is one scheduled happening. At is the virtual time since the start
// of the run. Arg is the scenario's payload, usually an index into its own
// tables; Gen lets a scenario cancel an event lazily by bumping a
// generation counter that the event no longer matches.
type Event struct {
	At   time.Duration
	Kind Kind
	Arg  int32
	Gen  uint32
}

// Sim is the engine: a virtual clock and a heap of pending events. A Sim
// is not safe for concurrent use; run one Sim per goroutine.
type Sim struct {
	now    time.Duration
	seq    uint64
	events uint64
	heap   eventHeap
	slab   []payload
	free   []int32
	stop   bool
}

// New returns a Sim at time zero with room for capacity pending events.
func New(capacity int) *Sim {
	return &Sim{heap: make(eventHeap, 0, capacity),
		slab: make([]payload, 0, capacity)}
}

// Now returns the virtual time since the start of the run.
func (s *Sim) Now() time.Duration { return s.now }

// Events returns the number of events handled so far.
func (s *Sim) Events() uint64 { return s.events }

// Pending returns the number of events scheduled and not yet handled.
func (s *Sim) Pending() int { return len(s.heap) }

// At schedules an event at virtual time t. It panics if t is before Now
// (an event in the past is a bug in the scenario), and past 2^24 pending
// or 2^40 scheduled events.
func (s *Sim) At(t time.Duration, k Kind, arg int32, gen uint32) {
	if t < s.now {
		panic(fmt.Sprintf("des: event kind %d at %v is before now %v", k, t,
			s.now))
	}
	var slot int32
	if n := len(s.free); n > 0 {
		slot = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		if len(s.slab) >= maxPending {
			panic("des: more than 2^24 events pending")
		}
		s.slab = append(s.slab, payload{})
		slot = int32(len(s.slab) - 1)
	}
	s.slab[slot] = payload{kind: k, arg: arg, gen: gen}
	s.seq++
	if s.seq > maxSeq {
		panic("des: more than 2^40 events scheduled")
	}
	s.heap.push(entry{at: t, key: s.seq<<slotBits | uint64(slot)})
}

// After schedules an event d after Now; a negative d panics as in At.
func (s *Sim) After(d time.Duration, k Kind, arg int32, gen uint32) {
	s.At(s.now+d, k, arg, gen)
}

// Stop makes Run return after the event being handled.
func (s *Sim) Stop() { s.stop = true }

// Progress describes how far a run has come.
type Progress struct {
	// Fraction is the share of the run's simulated time done, 0 to 1.
	Fraction float64
	// Now is the virtual time reached.
	Now time.Duration
	// Events is the number of events handled so far.
	Events uint64
	// Wall is the real time since Run began.
	Wall time.Duration
}

// RunOptions tune Run. The zero value reports no progress.
type RunOptions struct {
	// Progress, when set, is called about every ProgressEvery events and
	// once at the end, from Run's goroutine.
	Progress func(Progress)
	// ProgressEvery is the number of events between progress calls;
	// 0 means 1<<20.
	ProgressEvery uint64
}

// Run handles events in time order until none remain, the next one is
// after until, or the handler calls Stop. The clock then stands at until
// (or at the stopping event). It returns the number of events handled.
func (s *Sim) Run(until time.Duration, handle func(*Sim, Event),
	opt RunOptions) uint64 {
	start := time.Now()
	every := opt.ProgressEvery
	if every == 0 {
		every = 1 << 20
	}
	next := s.events + every
	var n uint64
	s.stop = false
	for len(s.heap) > 0 && s.heap[0].at <= until && !s.stop {
		e := s.heap.pop()
		slot := int32(e.key & slotMask)
		p := s.slab[slot]
		s.free = append(s.free, slot)
		s.now = e.at
		s.events++
		n++
		handle(s, Event{At: e.at, Kind: p.kind, Arg: p.arg, Gen: p.gen})
		if opt.Progress != nil && s.events >= next {
			next = s.events + every
			opt.Progress(s.progress(until, start))
		}
	}
	if !s.stop && s.now < until {
		s.now = until
	}
	if opt.Progress != nil {
		opt.Progress(s.progress(until, start))
	}
	return n
}

func (s *Sim) progress(until time.Duration, start time.Time) Progress {
	f := 1.0
	if until > 0 {
		f = min(1, float64(s.now)/float64(until))
	}
	return Progress{Fraction: f, Now: s.now, Events: s.events,
		Wall: time.Since(start)}
}
