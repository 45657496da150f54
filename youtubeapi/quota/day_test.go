package quota

import (
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNextResetAcrossDST(t *testing.T) {
	tests := []struct {
		name      string
		at        string
		day       string
		reset     string
		dayLength time.Duration
	}{
		{"winter", "2026-01-15T12:00:00Z", "2026-01-15",
			"2026-01-16T08:00:00Z", 24 * time.Hour},
		{"spring forward", "2026-03-08T12:00:00Z", "2026-03-08",
			"2026-03-09T07:00:00Z", 23 * time.Hour},
		{"summer", "2026-07-04T12:00:00Z", "2026-07-04",
			"2026-07-05T07:00:00Z", 24 * time.Hour},
		{"fall back", "2026-11-01T12:00:00Z", "2026-11-01",
			"2026-11-02T08:00:00Z", 25 * time.Hour},
		// 06:30 UTC on 9 March is still 8 March in Los Angeles.
		{"late evening Pacific", "2026-03-09T06:30:00Z", "2026-03-08",
			"2026-03-09T07:00:00Z", 23 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := utc(tt.at)
			if got := Day(at); got != tt.day {
				t.Errorf("Day(%s) = %s; want %s", tt.at, got, tt.day)
			}
			got := NextReset(at)
			if !got.Equal(utc(tt.reset)) {
				t.Errorf("NextReset(%s) = %s; want %s", tt.at, got.UTC(),
					tt.reset)
			}
			if l := got.Sub(DayStart(at)); l != tt.dayLength {
				t.Errorf("day of %s lasts %v; want %v", tt.at, l, tt.dayLength)
			}
		})
	}
}
