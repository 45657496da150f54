package quota

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/services"
)

func TestMain(m *testing.M) { os.Exit(services.Main(m)) }

// pgStore opens a store on url with a pool of its own, as one process
// would, closed when t ends.
func pgStore(t *testing.T, url string) *PGStore {
	t.Helper()
	pool, err := pgxpool.New(t.Context(), url)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	s, err := NewPGStore(t.Context(), pool)
	require.NoError(t, err)
	return s
}

// TestPGLedgerRestart: a ledger in a new process (a new pool) still
// refuses the call that would exceed the day's quota.
func TestPGLedgerRestart(t *testing.T) {
	url := services.Postgres(t).Database(t)
	pool, err := pgxpool.New(t.Context(), url)
	require.NoError(t, err)
	s, err := NewPGStore(t.Context(), pool)
	require.NoError(t, err)

	at := utc("2026-07-01T18:00:00Z")
	first := newTestLedger(t, s, 5)
	spend(t, first, "videos.insert", 4, at)
	_, err = first.Reserve(t.Context(), "videos.insert", at) // in flight
	require.NoError(t, err)
	pool.Close() // the process dies with a reservation unsettled

	second := newTestLedger(t, pgStore(t, url), 5)
	_, err = second.Reserve(t.Context(), "videos.insert", at.Add(time.Hour))
	if !errors.Is(err, ErrExhausted) {
		t.Fatalf("Reserve after restart = %v; want ErrExhausted", err)
	}
	_, err = second.Reserve(t.Context(), "videos.insert", NextReset(at))
	assert.NoError(t, err, "the next Pacific day")
}

func TestPGStoreSemantics(t *testing.T) {
	s := pgStore(t, services.Postgres(t).Database(t))
	ctx := t.Context()
	k := Key{Project: "p", Day: "2026-03-08", Bucket: General}
	steps := []struct {
		name string
		do   func() (Units, error)
		want Units
	}{
		{"add to a new row", func() (Units, error) {
			v, _, err := s.Add(ctx, k, 40, 100)
			return v, err
		}, 40},
		{"add past the limit changes nothing", func() (Units, error) {
			v, ok, err := s.Add(ctx, k, 61, 100)
			assert.False(t, ok)
			return v, err
		}, 40},
		{"adjust down, not below 0", func() (Units, error) {
			return s.Adjust(ctx, k, -1000)
		}, 0},
		{"raise", func() (Units, error) { return s.Raise(ctx, k, 100) }, 100},
		{"raise lower keeps", func() (Units, error) {
			return s.Raise(ctx, k, 7)
		}, 100},
		{"another day is apart", func() (Units, error) {
			return s.Spent(ctx, Key{Project: "p", Day: "2026-03-09",
				Bucket: General})
		}, 0},
	}
	for _, st := range steps {
		got, err := st.do()
		require.NoError(t, err, st.name)
		if got != st.want {
			t.Errorf("%s: spent = %d; want %d", st.name, got, st.want)
		}
	}
}

// TestPGConcurrentLedgers: two processes' ledgers racing for one bucket
// grant exactly its size.
func TestPGConcurrentLedgers(t *testing.T) {
	url := services.Postgres(t).Database(t)
	a := newTestLedger(t, pgStore(t, url), 50)
	b := newTestLedger(t, pgStore(t, url), 50)
	at := utc("2026-07-01T18:00:00Z")
	var mu sync.Mutex
	granted := 0
	var wg sync.WaitGroup
	for i := range 80 {
		l := a
		if i%2 == 1 {
			l = b
		}
		wg.Go(func() {
			_, err := l.Reserve(context.Background(), "videos.insert", at)
			if err == nil {
				mu.Lock()
				granted++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if granted != 50 {
		t.Errorf("80 reserves from two processes on 50 units granted %d; "+
			"want 50", granted)
	}
}

// TestPGLedgerSurvivesServerRestart restarts PostgreSQL itself between
// the spending and the refusal.
func TestPGLedgerSurvivesServerRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a dedicated PostgreSQL; runs without -short")
	}
	svc := services.NewPostgres(t)
	url := svc.Database(t)
	at := utc("2026-07-01T18:00:00Z")
	spend(t, newTestLedger(t, pgStore(t, url), 3), "videos.insert", 3, at)
	require.NoError(t, svc.Restart(t.Context()))
	_, err := newTestLedger(t, pgStore(t, url), 3).Reserve(t.Context(),
		"videos.insert", at)
	assert.ErrorIs(t, err, ErrExhausted)
}
