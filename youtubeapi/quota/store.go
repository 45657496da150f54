package quota

import (
	"context"
	"sync"
)

// Key names one counter: a bucket of a project on a Pacific day.
type Key struct {
	Project string
	Day     string // YYYY-MM-DD, see Day
	Bucket  Bucket
}

// Store keeps the units spent per Key. Implementations must make each
// method atomic with respect to the others, across processes where the
// store is shared.
type Store interface {
	// Add adds units to k's counter if the total stays at or below limit
	// and returns the total after; ok is false, and nothing changes,
	// when it would not.
	Add(ctx context.Context, k Key, units, limit Units) (spent Units,
		ok bool, err error)
	// Adjust adds delta, which may be negative, to k's counter without a
	// limit, never taking it below zero, and returns the total after.
	Adjust(ctx context.Context, k Key, delta Units) (Units, error)
	// Raise lifts k's counter to at least floor and returns the total.
	Raise(ctx context.Context, k Key, floor Units) (Units, error)
	// Spent returns k's counter; 0 for a key never written.
	Spent(ctx context.Context, k Key) (Units, error)
}

// MemStore is a Store in memory, for tests and the simulation. It is safe
// for concurrent use. Its state dies with the process.
type MemStore struct {
	mu    sync.Mutex
	spent map[Key]Units
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{spent: map[Key]Units{}} }

// Add implements Store.
func (s *MemStore) Add(_ context.Context, k Key, units, limit Units) (
	Units, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.spent[k]
	if cur+units > limit {
		return cur, false, nil
	}
	s.spent[k] = cur + units
	return cur + units, true, nil
}

// Adjust implements Store.
func (s *MemStore) Adjust(_ context.Context, k Key, delta Units) (
	Units, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := max(s.spent[k]+delta, 0)
	s.spent[k] = v
	return v, nil
}

// Raise implements Store.
func (s *MemStore) Raise(_ context.Context, k Key, floor Units) (
	Units, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := max(s.spent[k], floor)
	s.spent[k] = v
	return v, nil
}

// Spent implements Store.
func (s *MemStore) Spent(_ context.Context, k Key) (Units, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spent[k], nil
}

// Forget drops the counters of days before day (YYYY-MM-DD), so that a
// simulated year does not keep every day in memory.
func (s *MemStore) Forget(day string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.spent {
		if k.Day < day {
			delete(s.spent, k)
		}
	}
}
