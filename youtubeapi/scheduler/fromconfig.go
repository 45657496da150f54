package scheduler

import (
	"fmt"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// FromConfig returns DefaultConfig for scale.yaml's architecture.youtube:
// its projects, each with a quota.Ledger on store under the configured
// quota model, and their channels with their caps. Set FollowUps and the
// Seed on the result as needed.
func FromConfig(y targets.YouTubeDeployment, store quota.Store) (Config,
	error) {
	ledgers, err := quota.LedgersFor(store, y)
	if err != nil {
		return Config{}, fmt.Errorf("scheduler config: %w", err)
	}
	var ps []Project
	for _, p := range y.Projects {
		sp := Project{ID: p.ID, Quota: ledgers[p.ID]}
		for _, c := range p.Channels {
			sp.Channels = append(sp.Channels,
				Channel{ID: c.ID, UploadsPerDay: c.UploadsPerDay})
		}
		ps = append(ps, sp)
	}
	return DefaultConfig(ps...), nil
}
