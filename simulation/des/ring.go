package des

// Ring is a double-ended FIFO queue on a circular buffer that grows by
// doubling and never shrinks, so a queue that fills and drains reuses its
// memory. The zero value is an empty queue.
type Ring[T any] struct {
	buf  []T
	head int
	n    int
}

// Len returns the number of items queued.
func (r *Ring[T]) Len() int { return r.n }

// PushBack appends v at the tail.
func (r *Ring[T]) PushBack(v T) {
	r.grow()
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = v
	r.n++
}

// PushFront puts v at the head, ahead of everything queued.
func (r *Ring[T]) PushFront(v T) {
	r.grow()
	r.head = (r.head - 1) & (len(r.buf) - 1)
	r.buf[r.head] = v
	r.n++
}

// PopFront removes and returns the head; ok is false when r is empty.
func (r *Ring[T]) PopFront() (v T, ok bool) {
	if r.n == 0 {
		return v, false
	}
	v = r.buf[r.head]
	var zero T
	r.buf[r.head] = zero
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return v, true
}

// Front returns the head without removing it; ok is false when r is
// empty.
func (r *Ring[T]) Front() (v T, ok bool) {
	if r.n == 0 {
		return v, false
	}
	return r.buf[r.head], true
}

// grow makes room for one more item; the capacity stays a power of two.
func (r *Ring[T]) grow() {
	if r.n < len(r.buf) {
		return
	}
	size := max(16, 2*len(r.buf))
	buf := make([]T, size)
	for i := range r.n {
		buf[i] = r.buf[(r.head+i)&(len(r.buf)-1)]
	}
	r.buf, r.head = buf, 0
}
