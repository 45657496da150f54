package scheduler

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/youtubeapi"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// t0 is 11:00 in Los Angeles; the quota resets 13 h later.
var t0 = time.Date(2026, 7, 1, 18, 0, 0, 0, time.UTC)

var (
	outBackend   = youtubeapi.Outcome{Status: 503, Reason: "backendError"}
	outQuota     = youtubeapi.Outcome{Status: 403, Reason: "quotaExceeded"}
	outCap       = youtubeapi.Outcome{Status: 400, Reason: "uploadLimitExceeded"}
	outRate      = youtubeapi.Outcome{Status: 403, Reason: "rateLimitExceeded"}
	outUserRate  = youtubeapi.Outcome{Status: 429, Reason: "userRateLimitExceeded"}
	outBadReq    = youtubeapi.Outcome{Status: 400, Reason: "badRequest"}
	outTransport = youtubeapi.Outcome{}
)

func ledger(t testing.TB, id string, uploads quota.Units) *quota.Ledger {
	t.Helper()
	m, err := quota.Lookup("2026-06-01")
	require.NoError(t, err)
	l, err := quota.NewLedger(quota.NewMemStore(), m, quota.Project{ID: id,
		Limits: map[quota.Bucket]quota.Units{quota.Uploads: uploads}})
	require.NoError(t, err)
	return l
}

// newSched builds a scheduler with one project "p" of the given upload
// calls and channels named c0.. with the given caps.
func newSched(t testing.TB, uploads quota.Units, caps ...int) *Scheduler {
	t.Helper()
	p := Project{ID: "p", Quota: ledger(t, "p", uploads)}
	for i, c := range caps {
		p.Channels = append(p.Channels,
			Channel{ID: fmt.Sprintf("c%d", i), UploadsPerDay: c})
	}
	s, err := New(DefaultConfig(p))
	require.NoError(t, err)
	return s
}

func submit(t testing.TB, s *Scheduler, now time.Time, us ...Upload) {
	t.Helper()
	for _, u := range us {
		require.NoError(t, s.Submit(u, now))
	}
}

// next returns the id Next chooses at now, or "" when none.
func next(t testing.TB, s *Scheduler, now time.Time) string {
	t.Helper()
	d, ok, err := s.Next(t.Context(), now)
	require.NoError(t, err)
	if !ok {
		return ""
	}
	return d.Upload.ID
}

func report(t testing.TB, s *Scheduler, id string, o youtubeapi.Outcome,
	now time.Time) Disposition {
	t.Helper()
	d, err := s.Report(t.Context(), id, o, now)
	require.NoError(t, err)
	return d
}

func why(t testing.TB, s *Scheduler, id string, now time.Time) Deferral {
	t.Helper()
	d, ok := s.Why(id, now)
	require.True(t, ok, "upload %s is not waiting", id)
	require.NotEmpty(t, d.Text, "deferral of %s has no text", id)
	return d
}

func TestOrderPriorityDeadlineFairness(t *testing.T) {
	s := newSched(t, 100, 0, 0, 0)
	submit(t, s, t0,
		Upload{ID: "a1", Channel: "c0"},
		Upload{ID: "a2", Channel: "c0"},
		Upload{ID: "a3", Channel: "c0"},
		Upload{ID: "b1", Channel: "c1"},
		Upload{ID: "b2", Channel: "c1"},
		Upload{ID: "c1-late", Channel: "c2", Deadline: t0.Add(4 * time.Hour)},
		Upload{ID: "c2-soon", Channel: "c2", Deadline: t0.Add(time.Hour)},
		Upload{ID: "urgent", Channel: "c1", Priority: 5},
	)
	var got []string
	for id := next(t, s, t0); id != ""; id = next(t, s, t0) {
		got = append(got, id)
	}
	want := []string{
		"urgent",                     // priority first
		"c2-soon",                    // then deadlines, earliest first
		"c1-late",                    //
		"a1", "b1", "a2", "b2", "a3", // then rotate over channels
	}
	assert.Equal(t, want, got)
}

func TestChannelRollingCap(t *testing.T) {
	s := newSched(t, 100, 2, 0)
	submit(t, s, t0, Upload{ID: "u1", Channel: "c0"},
		Upload{ID: "u2", Channel: "c0"}, Upload{ID: "u3", Channel: "c0"})

	require.Equal(t, "u1", next(t, s, t0))
	require.Equal(t, "u2", next(t, s, t0))
	assert.Equal(t, "", next(t, s, t0), "two running fill a cap of 2")
	assert.Equal(t, ReasonChannelCap, why(t, s, "u3", t0).Reason)

	done := t0.Add(10 * time.Minute)
	report(t, s, "u1", youtubeapi.Success, done)
	report(t, s, "u2", youtubeapi.Success, done.Add(time.Minute))
	assert.Equal(t, "", next(t, s, done.Add(time.Hour)))
	d := why(t, s, "u3", done.Add(time.Hour))
	assert.Equal(t, ReasonChannelCap, d.Reason)
	assert.True(t, d.Until.Equal(done.Add(24*time.Hour)), "until %s", d.Until)

	wake, ok := s.WakeAt(done.Add(time.Hour))
	require.True(t, ok)
	assert.True(t, wake.Equal(done.Add(24*time.Hour)), "WakeAt = %s", wake)
	assert.Equal(t, "u3", next(t, s, wake))
}

func TestQuotaExhaustedWaitsForPacificMidnight(t *testing.T) {
	s := newSched(t, 2, 0)
	submit(t, s, t0, Upload{ID: "u1", Channel: "c0"},
		Upload{ID: "u2", Channel: "c0"}, Upload{ID: "u3", Channel: "c0"})
	require.Equal(t, "u1", next(t, s, t0))
	require.Equal(t, "u2", next(t, s, t0))
	require.Equal(t, "", next(t, s, t0))

	reset := time.Date(2026, 7, 2, 7, 0, 0, 0, time.UTC) // 00:00 PDT
	d := why(t, s, "u3", t0)
	assert.Equal(t, ReasonQuotaExhausted, d.Reason)
	assert.True(t, d.Until.Equal(reset), "until %s; want %s", d.Until, reset)
	wake, ok := s.WakeAt(t0)
	require.True(t, ok)
	assert.True(t, wake.Equal(reset), "WakeAt = %s; want %s", wake, reset)
	assert.Equal(t, "", next(t, s, reset.Add(-time.Second)))
	assert.Equal(t, "u3", next(t, s, reset))
}

// TestNoFailoverBetweenProjects: when one project's bucket is spent, its
// channels' uploads wait for its reset even though another project of the
// same client has quota to spare (Developer Policies III.D.1.c).
func TestNoFailoverBetweenProjects(t *testing.T) {
	cfg := DefaultConfig(
		Project{ID: "spent", Quota: ledger(t, "spent", 1),
			Channels: []Channel{{ID: "a"}}},
		Project{ID: "spare", Quota: ledger(t, "spare", 100),
			Channels: []Channel{{ID: "b"}}},
	)
	s, err := New(cfg)
	require.NoError(t, err)
	for i := range 5 {
		submit(t, s, t0, Upload{ID: fmt.Sprintf("a%d", i), Channel: "a",
			Priority: 1})
	}
	submit(t, s, t0, Upload{ID: "b0", Channel: "b"})

	started := map[string]string{}
	for {
		d, ok, err := s.Next(t.Context(), t0)
		require.NoError(t, err)
		if !ok {
			break
		}
		started[d.Upload.ID] = d.Project
	}
	assert.Equal(t, map[string]string{"a0": "spent", "b0": "spare"}, started)
	for i := 1; i < 5; i++ {
		d := why(t, s, fmt.Sprintf("a%d", i), t0)
		assert.Equal(t, ReasonQuotaExhausted, d.Reason, d.Text)
		assert.Equal(t, "spent", d.Project)
	}
}

func TestReactions(t *testing.T) {
	reset := time.Date(2026, 7, 2, 7, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		outcome youtubeapi.Outcome
		action  Action
		reason  Reason
		// until is checked when set: a bound on Disposition.Until.
		minUntil, maxUntil time.Time
		// other says whether another channel of the project may go on.
		other bool
	}{
		{"success", youtubeapi.Success, Done, ReasonNone, time.Time{},
			time.Time{}, true},
		{"quotaExceeded", outQuota, Requeued, ReasonQuotaExhausted, reset,
			reset, false},
		{"uploadLimitExceeded", outCap, Requeued, ReasonUploadLimitExceeded,
			t0.Add(24 * time.Hour), t0.Add(24 * time.Hour), true},
		{"rateLimitExceeded", outRate, Requeued, ReasonRateLimited,
			t0.Add(500 * time.Millisecond), t0.Add(time.Second), false},
		{"userRateLimitExceeded", outUserRate, Requeued,
			ReasonUserRateLimited, t0.Add(500 * time.Millisecond),
			t0.Add(time.Second), true},
		{"backendError", outBackend, Requeued, ReasonBackoff,
			t0.Add(500 * time.Millisecond), t0.Add(time.Second), true},
		{"connection reset", outTransport, Requeued, ReasonBackoff,
			t0.Add(500 * time.Millisecond), t0.Add(time.Second), true},
		{"bad request", outBadReq, Failed, ReasonNone, time.Time{},
			time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSched(t, 100, 0, 0)
			submit(t, s, t0, Upload{ID: "u", Channel: "c0", Priority: 1},
				Upload{ID: "w", Channel: "c1"})
			require.Equal(t, "u", next(t, s, t0))
			d := report(t, s, "u", tt.outcome, t0)
			assert.Equal(t, tt.action, d.Action, "action")
			assert.Equal(t, tt.reason, d.Reason, "reason: %s", d.Text)
			if !tt.minUntil.IsZero() {
				assert.False(t, d.Until.Before(tt.minUntil) ||
					d.Until.After(tt.maxUntil),
					"until %s; want in [%s, %s]", d.Until, tt.minUntil,
					tt.maxUntil)
			}
			if tt.action == Requeued {
				assert.Equal(t, tt.reason, why(t, s, "u", t0).Reason)
			}
			got := next(t, s, t0)
			if tt.other {
				assert.Equal(t, "w", got, "other channel should go on")
			} else {
				assert.Equal(t, "", got, "the project should wait")
			}
		})
	}
}

func TestUploadLimitExceededLearnsCap(t *testing.T) {
	s := newSched(t, 100, 0)
	for i := range 6 {
		submit(t, s, t0, Upload{ID: fmt.Sprintf("u%d", i), Channel: "c0"})
	}
	now := t0
	for i := range 3 {
		require.Equal(t, fmt.Sprintf("u%d", i), next(t, s, now))
		report(t, s, fmt.Sprintf("u%d", i), youtubeapi.Success, now)
		now = now.Add(time.Minute)
	}
	require.Equal(t, "u3", next(t, s, now))
	report(t, s, "u3", outCap, now)

	pause := now.Add(24 * time.Hour)
	assert.Equal(t, "", next(t, s, pause.Add(-time.Second)))
	assert.Equal(t, "u3", next(t, s, pause), "after the 24 h pause")
	report(t, s, "u3", youtubeapi.Success, pause)
	// The learned cap of 3 holds from now on: u4, u5 then wait.
	assert.Equal(t, "u4", next(t, s, pause))
	assert.Equal(t, "u5", next(t, s, pause))
	report(t, s, "u4", youtubeapi.Success, pause)
	report(t, s, "u5", youtubeapi.Success, pause)
	submit(t, s, pause, Upload{ID: "u6", Channel: "c0"})
	d := why(t, s, "u6", pause)
	assert.Equal(t, ReasonChannelCap, d.Reason, d.Text)
	assert.Contains(t, d.Text, "cap 3")
}

func TestBackoffGrowsAndGivesUp(t *testing.T) {
	s := newSched(t, 100, 0)
	submit(t, s, t0, Upload{ID: "u", Channel: "c0"})
	now := t0
	var waits []time.Duration
	for {
		id := next(t, s, now)
		if id == "" {
			wake, ok := s.WakeAt(now)
			require.True(t, ok, "a backed-off upload must give a wake time")
			now = wake
			continue
		}
		d := report(t, s, id, outBackend, now)
		if d.Action == Failed {
			break
		}
		waits = append(waits, d.Until.Sub(now))
	}
	cfg := DefaultConfig().Backoff
	require.Len(t, waits, cfg.MaxAttempts-1)
	for i, w := range waits {
		full := min(cfg.Initial<<i, cfg.Max)
		if w < full/2 || w > full {
			t.Errorf("wait after failure %d = %v; want in [%v, %v]", i+1, w,
				full/2, full)
		}
	}
	assert.Equal(t, 1, s.Stats().Failed)
}

func TestChannelBreakerOpens(t *testing.T) {
	s := newSched(t, 100, 0)
	for i := range 10 {
		submit(t, s, t0, Upload{ID: fmt.Sprintf("u%d", i), Channel: "c0"})
	}
	now := t0
	open := DefaultConfig().ChannelBreaker
	for i := range open.Failures {
		id := next(t, s, now)
		require.NotEmpty(t, id, "failure %d", i)
		report(t, s, id, outBackend, now)
	}
	d := why(t, s, "u9", now)
	assert.Equal(t, ReasonChannelBreaker, d.Reason, d.Text)
	assert.Equal(t, "", next(t, s, now.Add(open.OpenFor-time.Second)))
	assert.NotEqual(t, "", next(t, s, now.Add(open.OpenFor)))
}

func TestEveryDeferralHasReason(t *testing.T) {
	s := newSched(t, 3, 2, 0)
	now := t0
	for i := range 20 {
		submit(t, s, now, Upload{ID: fmt.Sprintf("u%d", i),
			Channel: fmt.Sprintf("c%d", i%2)})
	}
	submit(t, s, now, Upload{ID: "later", Channel: "c1",
		NotBefore: now.Add(time.Hour)})
	for id := next(t, s, now); id != ""; id = next(t, s, now) {
		report(t, s, id, outBackend, now)
	}
	ds := s.Deferrals(now)
	require.Len(t, ds, s.Waiting())
	seen := map[Reason]bool{}
	for _, d := range ds {
		if d.Reason == ReasonNone || d.Text == "" {
			t.Errorf("deferral of %s has no reason: %+v", d.Upload, d)
		}
		seen[d.Reason] = true
	}
	assert.True(t, seen[ReasonNotBefore], "reasons seen: %v", seen)
	assert.True(t, seen[ReasonBackoff], "reasons seen: %v", seen)
}

func TestConfigRejects(t *testing.T) {
	good := Project{ID: "p", Quota: ledger(t, "p", 1),
		Channels: []Channel{{ID: "c"}}}
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no projects", DefaultConfig()},
		{"channel twice", DefaultConfig(good, Project{ID: "q",
			Quota: good.Quota, Channels: []Channel{{ID: "c"}}})},
		{"no gate", DefaultConfig(Project{ID: "p"})},
	}
	for _, tt := range tests {
		if _, err := New(tt.cfg); err == nil {
			t.Errorf("New(%s) = nil error; want one", tt.name)
		}
	}
	s, err := New(DefaultConfig(good))
	require.NoError(t, err)
	assert.ErrorIs(t, s.Submit(Upload{ID: "x", Channel: "nope"}, t0),
		ErrUnknown)
}

// TestFollowUpsNeedQuotaToo: an upload starts only when its project can
// also pay for the calls after the insert; a failed insert gives their
// reservations back.
func TestFollowUpsNeedQuotaToo(t *testing.T) {
	m, err := quota.Lookup("2026-06-01")
	require.NoError(t, err)
	l, err := quota.NewLedger(quota.NewMemStore(), m, quota.Project{ID: "p",
		Limits: map[quota.Bucket]quota.Units{quota.General: 250}})
	require.NoError(t, err)
	cfg := DefaultConfig(Project{ID: "p", Quota: l,
		Channels: []Channel{{ID: "c0"}}})
	cfg.FollowUps = []string{"thumbnails.set", "playlistItems.insert"}
	s, err := New(cfg)
	require.NoError(t, err)
	for i := range 4 {
		submit(t, s, t0, Upload{ID: fmt.Sprintf("u%d", i), Channel: "c0"})
	}

	d, ok, err := s.Next(t.Context(), t0)
	require.NoError(t, err)
	require.True(t, ok)
	require.Len(t, d.FollowUps, 2)
	assert.Equal(t, "thumbnails.set", d.FollowUps[0].Method)
	require.Equal(t, "u1", next(t, s, t0))
	require.Equal(t, "", next(t, s, t0), "50 general units left")
	w := why(t, s, "u2", t0)
	assert.Equal(t, ReasonQuotaExhausted, w.Reason)
	assert.Contains(t, w.Text, "general", "the general bucket binds")

	report(t, s, "u1", outBackend, t0) // its 100 general units come back
	rem, err := l.Remaining(t.Context(), quota.General, t0)
	require.NoError(t, err)
	assert.Equal(t, quota.Units(150), rem)
}

func TestFromConfig(t *testing.T) {
	cfg, err := FromConfig(targets.Default().Architecture.YouTube,
		quota.NewMemStore())
	require.NoError(t, err)
	s, err := New(cfg)
	require.NoError(t, err)
	// The default project has 100 upload calls and one channel of 100.
	for i := range 101 {
		submit(t, s, t0, Upload{ID: fmt.Sprint(i), Channel: "dailydoco-main"})
	}
	started := 0
	for next(t, s, t0) != "" {
		started++
	}
	assert.Equal(t, 100, started)
	d := why(t, s, "100", t0)
	assert.Contains(t, []Reason{ReasonQuotaExhausted, ReasonChannelCap},
		d.Reason, d.Text)
}
