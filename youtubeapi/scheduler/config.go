package scheduler

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/scaletest/scaletest/youtubeapi"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// Gate is the quota of one project; *quota.Ledger implements it.
type Gate interface {
	Reserve(ctx context.Context, method string, at time.Time) (
		quota.Reservation, error)
	Settle(ctx context.Context, r quota.Reservation, o youtubeapi.Outcome,
		at time.Time) (quota.Units, error)
	Release(ctx context.Context, r quota.Reservation) error
}

// Project is one API project: its quota and the channels that upload
// through it. A channel belongs to exactly one project, for good.
type Project struct {
	ID       string
	Quota    Gate
	Channels []Channel
}

// Channel is a YouTube channel uploads are published to.
type Channel struct {
	ID string
	// UploadsPerDay is the channel's rolling 24-hour cap as configured;
	// 0 means unknown: no cap until one is learned from
	// uploadLimitExceeded.
	UploadsPerDay int
}

// Backoff is exponential backoff with jitter for retryable outcomes.
type Backoff struct {
	// Initial is the wait before the first retry, before jitter.
	Initial time.Duration
	// Max bounds the wait before jitter.
	Max time.Duration
	// Multiplier grows the wait per failure; at least 1.
	Multiplier float64
	// Jitter is the share of the wait drawn at random, 0 to 1: the wait
	// is w*(1-Jitter) + U(0, w*Jitter).
	Jitter float64
	// MaxAttempts is how many retryable failures an upload may have
	// before it fails for good; 0 means no limit.
	MaxAttempts int
}

// Delay returns the wait after the n-th retryable failure (n >= 1),
// drawing the jitter from rnd.
func (b Backoff) Delay(n int, rnd *rand.Rand) time.Duration {
	w := float64(b.Initial) * math.Pow(max(b.Multiplier, 1), float64(n-1))
	w = min(w, float64(b.Max))
	j := min(max(b.Jitter, 0), 1)
	return time.Duration(w*(1-j) + rnd.Float64()*w*j)
}

// Breaker opens after Failures consecutive retryable failures and stays
// open for OpenFor; after that one failure opens it again, one success
// closes it.
type Breaker struct {
	Failures int
	OpenFor  time.Duration
}

// Config is what a Scheduler needs.
type Config struct {
	Projects []Project
	// Method is the API method each upload reserves quota for.
	Method string
	// FollowUps are the calls a published video makes after its insert
	// (thumbnails.set, playlistItems.insert): an upload starts only when
	// its project can pay for them too, and Decision.FollowUps holds
	// their reservations.
	FollowUps []string
	// Window is the span of a channel's rolling cap.
	Window time.Duration
	// CapPause is how long a channel stops after uploadLimitExceeded.
	CapPause       time.Duration
	Backoff        Backoff
	ChannelBreaker Breaker
	ProjectBreaker Breaker
	// Seed seeds the jitter, so that a simulation is reproducible.
	Seed uint64
}

// DefaultConfig returns the defaults for projects: videos.insert without
// follow-ups, a 24-hour window and pause (FACTS.md), backoff from 1 s doubling to
// 5 min with half jitter and 8 attempts, a channel breaker at 5 failures
// for 10 minutes and a project breaker at 20 failures for 5 minutes.
func DefaultConfig(projects ...Project) Config {
	return Config{
		Projects: projects,
		Method:   "videos.insert",
		Window:   24 * time.Hour,
		CapPause: 24 * time.Hour,
		Backoff: Backoff{Initial: time.Second, Max: 5 * time.Minute,
			Multiplier: 2, Jitter: 0.5, MaxAttempts: 8},
		ChannelBreaker: Breaker{Failures: 5, OpenFor: 10 * time.Minute},
		ProjectBreaker: Breaker{Failures: 20, OpenFor: 5 * time.Minute},
	}
}

func (c *Config) validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf(format, a...))
	}
	if c.Method == "" {
		bad("method must not be empty")
	}
	if c.Window <= 0 || c.CapPause <= 0 {
		bad("window (%v) and cap pause (%v) must be positive", c.Window,
			c.CapPause)
	}
	if c.Backoff.Initial <= 0 || c.Backoff.Max < c.Backoff.Initial {
		bad("backoff initial %v and max %v: want 0 < initial <= max",
			c.Backoff.Initial, c.Backoff.Max)
	}
	for _, b := range []Breaker{c.ChannelBreaker, c.ProjectBreaker} {
		if b.Failures < 1 || b.OpenFor <= 0 {
			bad("breaker %+v: want failures >= 1 and a positive open time", b)
		}
	}
	projects, channels := map[string]bool{}, map[string]bool{}
	for _, p := range c.Projects {
		if p.ID == "" || projects[p.ID] {
			bad("project id %q: empty or duplicate", p.ID)
		}
		projects[p.ID] = true
		if p.Quota == nil {
			bad("project %s: no quota gate", p.ID)
		}
		for _, ch := range p.Channels {
			if ch.ID == "" || channels[ch.ID] {
				bad("project %s: channel id %q empty or in two places", p.ID,
					ch.ID)
			}
			channels[ch.ID] = true
			if ch.UploadsPerDay < 0 {
				bad("channel %s: uploads per day %d below 0", ch.ID,
					ch.UploadsPerDay)
			}
		}
	}
	if len(c.Projects) == 0 {
		bad("no projects")
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("scheduler config: %w", err)
	}
	return nil
}
