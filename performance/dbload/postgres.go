package dbload

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/targets"
)

//go:embed schema.sql
var schemaSQL string

// PGSeed sizes the data a PostgreSQL run starts with. The queues must
// hold more jobs than a run claims beyond what it queues itself (claims
// and completions keep pace with new jobs, so this is only a buffer).
type PGSeed struct {
	Projects    int
	Videos      int
	QueuedJobs  int
	RunningJobs int
}

// DefaultPGSeed is a small platform: 100 projects, 20,000 videos and
// 20,000 jobs waiting, 5,000 running.
var DefaultPGSeed = PGSeed{Projects: 100, Videos: 20_000, QueuedJobs: 20_000,
	RunningJobs: 5_000}

// PGStore runs the PostgreSQL operations of the mix. Its methods are
// safe for concurrent use.
type PGStore struct {
	pool     *pgxpool.Pool
	projects int64
	videos   atomic.Int64 // highest video id known to exist
	ladder   []targets.Rung
	channels []string
	seed     PGSeed

	// Counts of what the operations did, for Check.
	created, claimed, completed, queuedNext atomic.Int64
}

// OpenPostgres connects to the database at url with a pool of at most
// maxConns connections.
func OpenPostgres(ctx context.Context, url string, maxConns int32) (*PGStore, error) {
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pc.MaxConns = maxConns
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return &PGStore{pool: pool}, nil
}

// Close closes the pool.
func (p *PGStore) Close() { p.pool.Close() }

// Pool returns the connection pool.
func (p *PGStore) Pool() *pgxpool.Pool { return p.pool }

// Setup creates the schema in an empty database and seeds it. The
// renditions follow the ladder of cfg's default profile and uploads go to
// its channels.
func (p *PGStore) Setup(ctx context.Context, cfg *targets.Config, seed PGSeed) error {
	if seed.Projects < 1 || seed.Videos < 1 {
		return fmt.Errorf("setup postgres: seed %+v: want projects and videos >= 1", seed)
	}
	prof, _ := cfg.Processing.Profile(cfg.Processing.DefaultProfile)
	p.ladder = prof.Ladder
	if len(p.ladder) == 0 {
		p.ladder = []targets.Rung{{Height: 1080, Codec: "h264"}}
	}
	for _, pr := range cfg.Architecture.YouTube.Projects {
		for _, ch := range pr.Channels {
			p.channels = append(p.channels, ch.ID)
		}
	}
	if len(p.channels) == 0 {
		p.channels = []string{"default"}
	}
	p.seed, p.projects = seed, int64(seed.Projects)

	if _, err := p.pool.Exec(ctx, schemaSQL); err != nil {
		return fmt.Errorf("setup postgres: schema: %w", err)
	}
	steps := []struct {
		what string
		sql  string
		args []any
	}{
		{"projects", `INSERT INTO projects (name)
			SELECT 'project ' || g FROM generate_series(1, $1) g`, []any{seed.Projects}},
		// Videos of the past week, spread over the projects.
		{"videos", `INSERT INTO videos
			(project_id, title, status, duration_ms, created_at, updated_at)
			SELECT 1 + g % $2, 'video ' || g, 'published', 30000 + (g * 7919) % 600000,
				now() - (g % 10080) * interval '1 minute', now()
			FROM generate_series(1, $1) g`, []any{seed.Videos, seed.Projects}},
		{"renditions", `INSERT INTO renditions (video_id, height, codec, bytes)
			SELECT v, $2, $3, 1000000 + v FROM generate_series(1, $1, 2) v`,
			[]any{seed.Videos, p.ladder[0].Height, p.ladder[0].Codec}},
		{"queued jobs", `INSERT INTO jobs (video_id, stage, status, run_after)
			SELECT 1 + g % $2, 'render', 'queued', now() - interval '1 minute'
			FROM generate_series(1, $1) g`, []any{seed.QueuedJobs, seed.Videos}},
		{"running jobs", `INSERT INTO jobs
			(video_id, stage, status, attempts, worker, claimed_at)
			SELECT 1 + g % $2, 'encode', 'running', 1, 'seed',
				now() - (g % 600) * interval '1 second'
			FROM generate_series(1, $1) g`, []any{seed.RunningJobs, seed.Videos}},
		{"statistics", `ANALYZE`, nil},
	}
	for _, s := range steps {
		if _, err := p.pool.Exec(ctx, s.sql, s.args...); err != nil {
			return fmt.Errorf("setup postgres: seed %s: %w", s.what, err)
		}
	}
	p.videos.Store(int64(seed.Videos))
	return nil
}

// Ops returns the code of each PostgreSQL operation of the mix.
func (p *PGStore) Ops() map[string]load.Op {
	return map[string]load.Op{
		"create_video":     p.createVideo,
		"claim_job":        p.claimJob,
		"complete_job":     p.completeJob,
		"record_rendition": p.recordRendition,
		"record_upload":    p.recordUpload,
		"dashboard":        p.dashboard,
		"analytics":        p.analytics,
	}
}

func (p *PGStore) anyVideo() int64   { return 1 + rand.Int64N(p.videos.Load()) }
func (p *PGStore) anyProject() int64 { return 1 + rand.Int64N(p.projects) }

func (p *PGStore) createVideo(ctx context.Context, _ int, i int64) error {
	var id int64
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO videos (project_id, title, duration_ms)
			VALUES ($1, $2, $3) RETURNING id`,
			p.anyProject(), "new video "+strconv.FormatInt(i, 10),
			30000+rand.IntN(600000)).Scan(&id)
		if err != nil {
			return fmt.Errorf("create video: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO jobs (video_id, stage) VALUES ($1, 'render')`,
			id); err != nil {
			return fmt.Errorf("create video: job: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	p.created.Add(1)
	// Racy between workers but only ever too low, which is safe.
	if id > p.videos.Load() {
		p.videos.Store(id)
	}
	return nil
}

// Job is a job as a worker sees it.
type Job struct {
	ID, VideoID int64
	Stage       string
}

// videoStatus is a video's status while a job of each stage runs, and
// after it is done.
var (
	statusRunning = map[string]string{
		"render": "rendering", "encode": "encoding", "publish": "publishing"}
	statusAfter = map[string]string{
		"render": "encoding", "encode": "publishing", "publish": "published"}
	nextStage = map[string]string{"render": "encode", "encode": "publish"}
)

// ClaimJob takes the oldest queued job that no other transaction holds
// (FOR UPDATE SKIP LOCKED), marks it running for worker and moves its
// video on. It returns ErrEmpty when no job is queued.
func (p *PGStore) ClaimJob(ctx context.Context, worker string) (Job, error) {
	var j Job
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE jobs
			SET status = 'running', attempts = attempts + 1, worker = $1,
				claimed_at = now()
			WHERE id = (SELECT id FROM jobs
				WHERE status = 'queued' AND run_after <= now()
				ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED)
			RETURNING id, video_id, stage`, worker).Scan(&j.ID, &j.VideoID, &j.Stage)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrEmpty
		}
		if err != nil {
			return fmt.Errorf("claim job: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE videos SET status = $2, updated_at = now()
			WHERE id = $1`, j.VideoID, statusRunning[j.Stage]); err != nil {
			return fmt.Errorf("claim job: video: %w", err)
		}
		return nil
	})
	if err == nil {
		p.claimed.Add(1)
	}
	return j, err
}

func (p *PGStore) claimJob(ctx context.Context, worker int, _ int64) error {
	_, err := p.ClaimJob(ctx, "worker-"+strconv.Itoa(worker))
	return err
}

// CompleteJob finishes the running job claimed longest ago that no other
// transaction holds, moves its video on and queues the video's next job.
// It returns ErrEmpty when no job is running.
func (p *PGStore) CompleteJob(ctx context.Context) (Job, error) {
	var j Job
	next := false
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE jobs SET status = 'done', finished_at = now()
			WHERE id = (SELECT id FROM jobs WHERE status = 'running'
				ORDER BY claimed_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
			RETURNING id, video_id, stage`).Scan(&j.ID, &j.VideoID, &j.Stage)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrEmpty
		}
		if err != nil {
			return fmt.Errorf("complete job: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE videos SET status = $2, updated_at = now()
			WHERE id = $1`, j.VideoID, statusAfter[j.Stage]); err != nil {
			return fmt.Errorf("complete job: video: %w", err)
		}
		st, ok := nextStage[j.Stage]
		if !ok {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO jobs (video_id, stage) VALUES ($1, $2)`,
			j.VideoID, st); err != nil {
			return fmt.Errorf("complete job: next job: %w", err)
		}
		next = true
		return nil
	})
	if err == nil {
		p.completed.Add(1)
		if next {
			p.queuedNext.Add(1)
		}
	}
	return j, err
}

func (p *PGStore) completeJob(ctx context.Context, _ int, _ int64) error {
	_, err := p.CompleteJob(ctx)
	return err
}

func (p *PGStore) recordRendition(ctx context.Context, _ int, i int64) error {
	r := p.ladder[i%int64(len(p.ladder))]
	_, err := p.pool.Exec(ctx, `INSERT INTO renditions (video_id, height, codec, bytes)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (video_id, height, codec)
		DO UPDATE SET bytes = EXCLUDED.bytes, created_at = now()`,
		p.anyVideo(), r.Height, r.Codec, 1_000_000+rand.Int64N(500_000_000))
	if err != nil {
		return fmt.Errorf("record rendition: %w", err)
	}
	return nil
}

func (p *PGStore) recordUpload(ctx context.Context, _ int, i int64) error {
	video := p.anyVideo()
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO uploads
			(video_id, channel, youtube_id, status, finished_at)
			VALUES ($1, $2, $3, 'done', now())`,
			video, p.channels[i%int64(len(p.channels))], youtubeID())
		if err != nil {
			return fmt.Errorf("record upload: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE videos SET status = 'published',
			updated_at = now() WHERE id = $1`, video); err != nil {
			return fmt.Errorf("record upload: video: %w", err)
		}
		return nil
	})
}

// youtubeID makes an 11-character id like YouTube's.
func youtubeID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var b [11]byte
	for k := range b {
		b[k] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b[:])
}

func (p *PGStore) dashboard(ctx context.Context, _ int, _ int64) error {
	rows, err := p.pool.Query(ctx, `SELECT v.id, v.title, v.status, v.updated_at,
			(SELECT count(*) FROM renditions r WHERE r.video_id = v.id),
			(SELECT j.status FROM jobs j WHERE j.video_id = v.id
				ORDER BY j.id DESC LIMIT 1)
		FROM videos v WHERE v.project_id = $1
		ORDER BY v.created_at DESC LIMIT 20`, p.anyProject())
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	return drain(rows, "dashboard")
}

func (p *PGStore) analytics(ctx context.Context, _ int, _ int64) error {
	rows, err := p.pool.Query(ctx, `SELECT date_trunc('hour', created_at), status,
			count(*), avg(duration_ms)
		FROM videos WHERE created_at > now() - interval '24 hours'
		GROUP BY 1, 2 ORDER BY 1, 2`)
	if err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	return drain(rows, "analytics")
}

// drain reads every row, so that the time to transfer them is measured.
func drain(rows pgx.Rows, what string) error {
	defer rows.Close()
	for rows.Next() {
		if _, err := rows.Values(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Check verifies that the jobs table agrees with what the operations
// did: every claim took a queued job once, every completion a running
// one, and no job was lost or doubled.
func (p *PGStore) Check(ctx context.Context) error {
	var queued, running, done int64
	err := p.pool.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE status = 'queued'),
			count(*) FILTER (WHERE status = 'running'),
			count(*) FILTER (WHERE status = 'done')
		FROM jobs`).Scan(&queued, &running, &done)
	if err != nil {
		return fmt.Errorf("check postgres: %w", err)
	}
	want := [3]int64{
		int64(p.seed.QueuedJobs) + p.created.Load() + p.queuedNext.Load() - p.claimed.Load(),
		int64(p.seed.RunningJobs) + p.claimed.Load() - p.completed.Load(),
		p.completed.Load(),
	}
	if got := [3]int64{queued, running, done}; got != want {
		return fmt.Errorf("check postgres: jobs queued, running, done = %v; want %v",
			got, want)
	}
	return nil
}
