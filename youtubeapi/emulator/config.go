package emulator

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// Config describes the projects and channels the emulator knows.
type Config struct {
	// Model is the quota cost model the server charges by.
	Model    *quota.Model
	Projects []Project
	// Now is the server's clock; nil is time.Now. Quota days and channel
	// windows follow it.
	Now func() time.Time
	// Seed seeds the fault dice and the ids of videos and sessions.
	Seed uint64
	// SessionTTL is how long an upload session lives; 0 is a week.
	SessionTTL time.Duration
	// Logger receives one line per request at debug level; nil discards.
	Logger *slog.Logger
}

// Project is an API project and its channels.
type Project struct {
	ID string
	// Limits sizes buckets in units per day; absent buckets take the
	// model's default.
	Limits map[quota.Bucket]quota.Units
	// Audited projects may publish public videos; uploads from others are
	// forced private (projects created after 2020-07-28).
	Audited  bool
	Channels []Channel
}

// Channel is a YouTube channel.
type Channel struct {
	ID    string
	Title string
	// Token is the bearer token that acts as this channel; empty means
	// the channel id itself.
	Token string
	// UploadsPerDay is the channel's true rolling 24-hour cap; 0 is none.
	UploadsPerDay int
	Verified      bool
}

// FromConfig builds a Config from scale.yaml's architecture.youtube: its
// quota model, projects (unaudited) and channels, with their caps.
func FromConfig(y targets.YouTubeDeployment) (Config, error) {
	m, err := quota.Lookup(y.QuotaModel)
	if err != nil {
		return Config{}, fmt.Errorf("emulator config: %w", err)
	}
	cfg := Config{Model: m}
	for _, p := range y.Projects {
		qp := quota.ProjectFromConfig(p)
		ep := Project{ID: p.ID, Limits: qp.Limits}
		for _, c := range p.Channels {
			ep.Channels = append(ep.Channels, Channel{ID: c.ID, Title: c.ID,
				UploadsPerDay: c.UploadsPerDay, Verified: c.Verified})
		}
		cfg.Projects = append(cfg.Projects, ep)
	}
	return cfg, nil
}

func (c *Config) validate() error {
	var errs []error
	if c.Model == nil {
		errs = append(errs, errors.New("no quota model"))
	}
	tokens := map[string]bool{}
	for _, p := range c.Projects {
		if p.ID == "" {
			errs = append(errs, errors.New("project with empty id"))
		}
		for _, ch := range p.Channels {
			tok := ch.Token
			if tok == "" {
				tok = ch.ID
			}
			if ch.ID == "" || tokens[tok] {
				errs = append(errs, fmt.Errorf("channel %q: empty id or "+
					"token used twice", ch.ID))
			}
			tokens[tok] = true
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("emulator config: %w", err)
	}
	return nil
}
