package quota

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/youtubeapi"
)

func newTestLedger(t *testing.T, s Store, uploads Units) *Ledger {
	t.Helper()
	m, err := Lookup("2026-06-01")
	require.NoError(t, err)
	l, err := NewLedger(s, m, Project{ID: "p1",
		Limits: map[Bucket]Units{Uploads: uploads}})
	require.NoError(t, err)
	return l
}

// spend reserves and settles n successful calls of method at at.
func spend(t *testing.T, l *Ledger, method string, n int, at time.Time) {
	t.Helper()
	for i := range n {
		r, err := l.Reserve(t.Context(), method, at)
		require.NoError(t, err, "call %d of %d", i+1, n)
		_, err = l.Settle(t.Context(), r, youtubeapi.Success, at)
		require.NoError(t, err)
	}
}

func TestLedgerRefusesPastLimit(t *testing.T) {
	l := newTestLedger(t, NewMemStore(), 3)
	at := utc("2026-07-01T18:00:00Z")
	spend(t, l, "videos.insert", 3, at)

	_, err := l.Reserve(t.Context(), "videos.insert", at)
	var ex *ExhaustedError
	require.ErrorAs(t, err, &ex)
	assert.ErrorIs(t, err, ErrExhausted)
	assert.Equal(t, Uploads, ex.Bucket)
	assert.Equal(t, Units(3), ex.Spent)
	assert.True(t, ex.ResetAt.Equal(utc("2026-07-02T07:00:00Z")),
		"ResetAt = %s", ex.ResetAt)

	// Another bucket is untouched by the uploads bucket being spent.
	_, err = l.Reserve(t.Context(), "videos.update", at)
	assert.NoError(t, err)
}

func TestLedgerSettleCharges(t *testing.T) {
	at := utc("2026-07-01T18:00:00Z")
	tests := []struct {
		name    string
		policy  Policy
		outcome youtubeapi.Outcome
		want    Units
	}{
		{"success", Conservative, youtubeapi.Success, 50},
		{"invalid conservative", Conservative,
			youtubeapi.Outcome{Status: 400, Reason: "badRequest"}, 50},
		{"invalid minimum", Minimum,
			youtubeapi.Outcome{Status: 400, Reason: "badRequest"}, 1},
		{"no response minimum", Minimum, youtubeapi.Outcome{}, 50},
		{"quota refused", Conservative, youtubeapi.Outcome{Status: 403,
			Reason: youtubeapi.ReasonQuotaExceeded}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLedger(t, NewMemStore(), 100).WithPolicy(tt.policy)
			r, err := l.Reserve(t.Context(), "videos.update", at)
			require.NoError(t, err)
			got, err := l.Settle(t.Context(), r, tt.outcome, at)
			require.NoError(t, err)
			if got != tt.want {
				t.Errorf("Settle(%v) charged %d; want %d", tt.outcome, got,
					tt.want)
			}
		})
	}
}

func TestLedgerQuotaExceededExhaustsBucket(t *testing.T) {
	l := newTestLedger(t, NewMemStore(), 100)
	at := utc("2026-07-01T18:00:00Z")
	r, err := l.Reserve(t.Context(), "videos.insert", at)
	require.NoError(t, err)
	_, err = l.Settle(t.Context(), r, youtubeapi.Outcome{Status: 403,
		Reason: youtubeapi.ReasonQuotaExceeded}, at)
	require.NoError(t, err)

	_, err = l.Reserve(t.Context(), "videos.insert", at)
	assert.ErrorIs(t, err, ErrExhausted, "after the server said quotaExceeded")
	_, err = l.Reserve(t.Context(), "videos.insert", NextReset(at))
	assert.NoError(t, err, "after the reset")
}

// TestLedgerResetAcrossDST fills the bucket late on the Pacific day of a
// daylight-saving change and checks it reopens exactly at local midnight,
// which a fixed UTC offset would get wrong by an hour.
func TestLedgerResetAcrossDST(t *testing.T) {
	tests := []struct {
		name, full, stillFull, reopened string
	}{
		// 8 March 2026: PST to PDT; midnight is 07:00 UTC on the 9th.
		{"spring forward", "2026-03-09T06:00:00Z", "2026-03-09T06:59:59Z",
			"2026-03-09T07:00:00Z"},
		// 1 November 2026: PDT to PST; midnight is 08:00 UTC on the 2nd.
		{"fall back", "2026-11-02T06:30:00Z", "2026-11-02T07:59:59Z",
			"2026-11-02T08:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLedger(t, NewMemStore(), 2)
			spend(t, l, "videos.insert", 2, utc(tt.full))
			_, err := l.Reserve(t.Context(), "videos.insert", utc(tt.stillFull))
			assert.ErrorIs(t, err, ErrExhausted, "at %s", tt.stillFull)
			_, err = l.Reserve(t.Context(), "videos.insert", utc(tt.reopened))
			assert.NoError(t, err, "at %s", tt.reopened)
		})
	}
}

// TestLedgerRestart: a new Ledger on the same store, as after a process
// restart, still refuses the call that would exceed the day's quota, and
// an unsettled reservation of the dead process stays counted.
func TestLedgerRestart(t *testing.T) {
	testLedgerRestart(t, NewMemStore())
}

func testLedgerRestart(t *testing.T, s Store) {
	t.Helper()
	at := utc("2026-07-01T18:00:00Z")
	first := newTestLedger(t, s, 5)
	spend(t, first, "videos.insert", 4, at)
	_, err := first.Reserve(t.Context(), "videos.insert", at) // never settled
	require.NoError(t, err)

	second := newTestLedger(t, s, 5) // the restarted process
	_, err = second.Reserve(t.Context(), "videos.insert", at.Add(time.Hour))
	if !errors.Is(err, ErrExhausted) {
		t.Fatalf("restarted Reserve = %v; want ErrExhausted", err)
	}
	rem, err := second.Remaining(t.Context(), Uploads, at)
	require.NoError(t, err)
	assert.Equal(t, Units(0), rem)
	_, err = second.Reserve(t.Context(), "videos.insert", NextReset(at))
	assert.NoError(t, err, "the next Pacific day")
}

func TestLedgerConcurrentReserve(t *testing.T) {
	l := newTestLedger(t, NewMemStore(), 50)
	at := utc("2026-07-01T18:00:00Z")
	ok := make(chan bool)
	for range 80 {
		go func() {
			_, err := l.Reserve(context.Background(), "videos.insert", at)
			ok <- err == nil
		}()
	}
	granted := 0
	for range 80 {
		if <-ok {
			granted++
		}
	}
	if granted != 50 {
		t.Errorf("80 concurrent reserves on 50 units granted %d; want 50",
			granted)
	}
}
