package rolling

import (
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	t0 := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	w := Window{Span: 24 * time.Hour}
	for i := range 100 {
		w.Add(t0.Add(time.Duration(i) * time.Minute))
	}
	w.Add(t0.Add(-time.Minute)) // out of order
	tests := []struct {
		at   time.Duration
		want int
	}{
		{99 * time.Minute, 101},
		{24*time.Hour - time.Minute, 100}, // the out-of-order one expired
		{24*time.Hour + 50*time.Minute, 49},
		{48 * time.Hour, 0},
	}
	for _, tt := range tests {
		if got := w.Count(t0.Add(tt.at)); got != tt.want {
			t.Errorf("Count(t0+%v) = %d; want %d", tt.at, got, tt.want)
		}
	}
	if _, ok := w.Oldest(t0.Add(48 * time.Hour)); ok {
		t.Errorf("Oldest of an empty window reported an event")
	}
}
