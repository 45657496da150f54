package month

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/youtubeapi"
	"github.com/scaletest/scaletest/youtubeapi/quota"
	"github.com/scaletest/scaletest/youtubeapi/scheduler"
)

// uploadMethod is the API call of one upload.
const uploadMethod = "videos.insert"

// publisher drives the real upload scheduler and quota ledgers of
// package youtubeapi on the virtual clock.
//
// The scheduler is given placeholders, not videos: each channel always
// holds perChannel of them (waiting or running). The scheduler decides
// when an upload may start and on which channel; the simulation then
// binds the oldest processed video to it. This keeps the scheduler's
// state (and memory) bounded however many videos wait for quota, which
// at the default quota is nearly all of them.
//
// TODO: any video may go to any channel (the oldest video takes the
// upload the scheduler starts); a platform whose videos belong to their
// authors' channels would wait per channel. The extra calls after a
// publish (thumbnail, playlist) are counted when refused, never retried.
type publisher struct {
	ctx        context.Context
	sched      *scheduler.Scheduler
	start      time.Time
	ledgers    map[string]*quota.Ledger // by project
	chProject  map[string]string        // channel -> project
	running    map[string]string        // upload id -> channel
	perChannel int
	seq        int
	extra      []string

	// extraDone and extraDeferred count publish-time extra calls
	// (thumbnails, playlist adds) made and refused for quota.
	extraDone, extraDeferred int64
	// exhausted holds the Pacific days on which the uploads bucket of
	// some project ran out.
	exhausted map[string]time.Duration // day -> first time seen
	// recent are the ids of the last placeholders submitted.
	recent []string
}

// scaleQuota shrinks a YouTube deployment by f: buckets and channel caps
// are multiplied by f and rounded, at least 1 where they were positive.
func scaleQuota(y targets.YouTubeDeployment,
	f float64) targets.YouTubeDeployment {
	sc := func(v int) int {
		if v <= 0 {
			return v
		}
		return max(1, int(math.Round(float64(v)*f)))
	}
	out := y
	out.Projects = make([]targets.YouTubeProject, len(y.Projects))
	for i, p := range y.Projects {
		p.UploadCallsPerDay = sc(p.UploadCallsPerDay)
		p.GeneralUnitsPerDay = sc(p.GeneralUnitsPerDay)
		chs := make([]targets.Channel, len(p.Channels))
		for j, c := range p.Channels {
			c.UploadsPerDay = sc(c.UploadsPerDay)
			chs[j] = c
		}
		p.Channels = chs
		out.Projects[i] = p
	}
	return out
}

// newPublisher builds ledgers (in memory) and a scheduler for y, whose
// figures must already be scaled.
func newPublisher(ctx context.Context, y targets.YouTubeDeployment,
	start time.Time, concurrency int, extra []string, seed uint64) (
	*publisher, error) {
	model, err := quota.Lookup(y.QuotaModel)
	if err != nil {
		return nil, fmt.Errorf("publisher: %w", err)
	}
	for _, m := range extra {
		if _, err := model.Cost(m); err != nil {
			return nil, fmt.Errorf("publisher: %w", err)
		}
	}
	store := quota.NewMemStore()
	p := &publisher{ctx: ctx, start: start,
		ledgers:   map[string]*quota.Ledger{},
		chProject: map[string]string{}, running: map[string]string{},
		extra: extra, exhausted: map[string]time.Duration{}}
	var projects []scheduler.Project
	var channels []string
	for _, pr := range y.Projects {
		l, err := quota.NewLedger(store, model, quota.ProjectFromConfig(pr))
		if err != nil {
			return nil, fmt.Errorf("publisher: %w", err)
		}
		p.ledgers[pr.ID] = l
		sp := scheduler.Project{ID: pr.ID, Quota: l}
		for _, c := range pr.Channels {
			sp.Channels = append(sp.Channels, scheduler.Channel{ID: c.ID,
				UploadsPerDay: c.UploadsPerDay})
			p.chProject[c.ID] = pr.ID
			channels = append(channels, c.ID)
		}
		projects = append(projects, sp)
	}
	if len(channels) == 0 {
		return nil, errors.New("publisher: no YouTube channel configured")
	}
	cfg := scheduler.DefaultConfig(projects...)
	cfg.Seed = seed
	if p.sched, err = scheduler.New(cfg); err != nil {
		return nil, fmt.Errorf("publisher: %w", err)
	}
	p.perChannel = max(1, (concurrency+len(channels)-1)/len(channels))
	for _, c := range channels {
		for range p.perChannel {
			if err := p.submit(c, start); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// recentIDs is how many of the latest placeholders blockReason asks about.
const recentIDs = 8

func (p *publisher) submit(channel string, now time.Time) error {
	p.seq++
	id := "u" + strconv.Itoa(p.seq)
	err := p.sched.Submit(scheduler.Upload{ID: id, Channel: channel}, now)
	if err != nil {
		return fmt.Errorf("publisher: %w", err)
	}
	if len(p.recent) < recentIDs {
		p.recent = append(p.recent, id)
	} else {
		p.recent[p.seq%recentIDs] = id
	}
	return nil
}

func (p *publisher) wall(t time.Duration) time.Time { return p.start.Add(t) }

// begin asks the scheduler for an upload to start at t. When none may
// start, ok is false and wake, if set, is when to ask again.
func (p *publisher) begin(t time.Duration) (id string, ok bool,
	wake time.Duration, hasWake bool, err error) {
	now := p.wall(t)
	d, ok, err := p.sched.Next(p.ctx, now)
	if err != nil {
		return "", false, 0, false, fmt.Errorf("publisher: %w", err)
	}
	if ok {
		p.running[d.Upload.ID] = d.Upload.Channel
		return d.Upload.ID, true, 0, false, nil
	}
	p.noteExhaustion(t)
	w, has := p.sched.WakeAt(now)
	if !has {
		return "", false, 0, false, nil
	}
	return "", false, w.Sub(p.start), true, nil
}

// noteExhaustion records the Pacific days on which a project's bucket
// can no longer pay for an upload.
func (p *publisher) noteExhaustion(t time.Duration) {
	now := p.wall(t)
	day := quota.Day(now)
	if _, seen := p.exhausted[day]; seen {
		return
	}
	for _, l := range p.ledgers {
		c, err := l.Model().Cost(uploadMethod)
		if err != nil {
			continue
		}
		left, err := l.Remaining(p.ctx, c.Bucket, now)
		if err == nil && left < c.Units {
			p.exhausted[day] = t
			return
		}
	}
}

// finish reports how upload id ended at t. published is true when the
// video is on YouTube; otherwise its video waits again.
func (p *publisher) finish(id string, o youtubeapi.Outcome,
	t time.Duration) (published bool, err error) {
	now := p.wall(t)
	ch := p.running[id]
	delete(p.running, id)
	d, err := p.sched.Report(p.ctx, id, o, now)
	if err != nil {
		return false, fmt.Errorf("publisher: %w", err)
	}
	if d.Action == scheduler.Requeued {
		return false, nil // the placeholder waits in the scheduler again
	}
	if err := p.submit(ch, now); err != nil {
		return false, err
	}
	if d.Action != scheduler.Done {
		return false, nil
	}
	l := p.ledgers[p.chProject[ch]]
	for _, m := range p.extra {
		r, err := l.Reserve(p.ctx, m, now)
		if errors.Is(err, quota.ErrExhausted) {
			p.extraDeferred++
			continue
		}
		if err != nil {
			return true, fmt.Errorf("publisher: %w", err)
		}
		if _, err := l.Settle(p.ctx, r, youtubeapi.Success, now); err != nil {
			return true, fmt.Errorf("publisher: %w", err)
		}
		p.extraDone++
	}
	return true, nil
}

// blockReason says why nothing may start now: quota-exhausted when a
// project's bucket is spent for the day, else the reason most of the
// latest submitted placeholders still waiting give (Deferrals would walk
// all of them, thousands with many channels, at every block).
func (p *publisher) blockReason(t time.Duration) scheduler.Reason {
	now := p.wall(t)
	if _, spent := p.exhausted[quota.Day(now)]; spent {
		return scheduler.ReasonQuotaExhausted
	}
	var n [32]int
	for _, id := range p.recent {
		d, ok := p.sched.Why(id, now)
		if ok && d.Reason >= 0 && int(d.Reason) < len(n) {
			n[d.Reason]++
		}
	}
	best := scheduler.ReasonNone
	for r := range n {
		if n[r] > n[best] {
			best = scheduler.Reason(r)
		}
	}
	return best
}
