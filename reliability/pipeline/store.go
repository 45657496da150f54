package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// schema is the pipeline's state in PostgreSQL. results.job_id is the
// idempotency key of a job's result.
const schema = `
CREATE TABLE IF NOT EXISTS jobs (
	id          text PRIMARY KEY,
	created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
	lease_owner text,
	lease_until timestamptz,
	claims      int NOT NULL DEFAULT 0,
	done_at     timestamptz
);
CREATE INDEX IF NOT EXISTS jobs_open ON jobs (id) WHERE done_at IS NULL;
CREATE TABLE IF NOT EXISTS outbox (
	job_id    text PRIMARY KEY REFERENCES jobs (id),
	sent_at   timestamptz,
	announces int NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (job_id)
	WHERE sent_at IS NULL;
CREATE TABLE IF NOT EXISTS results (
	job_id text PRIMARY KEY REFERENCES jobs (id),
	worker text NOT NULL,
	output text NOT NULL,
	at     timestamptz NOT NULL DEFAULT clock_timestamp()
);`

// Migrate creates the pipeline's tables in the database of db if they do
// not exist.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	if _, err := db.Exec(ctx, schema); err != nil {
		return fmt.Errorf("migrate pipeline schema: %w", err)
	}
	return nil
}

// insertJob creates a job and, unless bare, its outbox row, in one
// statement. Submitting an id twice is harmless.
func insertJob(ctx context.Context, db *pgxpool.Pool, id string,
	bare bool) error {
	q := `WITH j AS (INSERT INTO jobs (id) VALUES ($1)
		ON CONFLICT DO NOTHING RETURNING id)
	INSERT INTO outbox (job_id) SELECT id FROM j`
	if bare {
		q = `INSERT INTO jobs (id) VALUES ($1) ON CONFLICT DO NOTHING`
	}
	_, err := db.Exec(ctx, q, id)
	return err
}

// unsent returns up to limit jobs whose outbox row awaits announcement.
func unsent(ctx context.Context, db *pgxpool.Pool, limit int) ([]string,
	error) {
	rows, err := db.Query(ctx, `SELECT job_id FROM outbox
		WHERE sent_at IS NULL ORDER BY job_id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// markSent records that ids were announced.
func markSent(ctx context.Context, db *pgxpool.Pool, ids []string) error {
	_, err := db.Exec(ctx, `UPDATE outbox SET sent_at = clock_timestamp(),
		announces = announces + 1 WHERE job_id = ANY($1)`, ids)
	return err
}

// sweep marks for announcement every job that is not done, holds no live
// lease and was last announced more than redeliver ago, and returns how
// many it marked.
func sweep(ctx context.Context, db *pgxpool.Pool,
	redeliver time.Duration) (int64, error) {
	tag, err := db.Exec(ctx, `UPDATE outbox o SET sent_at = NULL
		FROM jobs j
		WHERE j.id = o.job_id AND j.done_at IS NULL
		  AND o.sent_at < clock_timestamp() - $1 * interval '1 millisecond'
		  AND (j.lease_until IS NULL OR j.lease_until < clock_timestamp())`,
		redeliver.Milliseconds())
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// claim leases job id to worker for lease. It returns false when the job
// is done, unknown or leased by another worker.
func claim(ctx context.Context, db *pgxpool.Pool, id, worker string,
	lease time.Duration) (bool, error) {
	var claims int
	err := db.QueryRow(ctx, `UPDATE jobs SET lease_owner = $2,
		lease_until = clock_timestamp() + $3 * interval '1 millisecond',
		claims = claims + 1
		WHERE id = $1 AND done_at IS NULL AND (lease_until IS NULL
		  OR lease_until < clock_timestamp() OR lease_owner = $2)
		RETURNING claims`, id, worker, lease.Milliseconds()).Scan(&claims)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// complete stores the result of job id under its idempotency key and marks
// the job done, in one statement. It returns false when a result was
// already there: a duplicate, absorbed.
func complete(ctx context.Context, db *pgxpool.Pool, id, worker,
	output string) (bool, error) {
	var got string
	err := db.QueryRow(ctx, `WITH r AS (
		INSERT INTO results (job_id, worker, output) VALUES ($1, $2, $3)
		ON CONFLICT (job_id) DO NOTHING RETURNING job_id)
	UPDATE jobs SET done_at = clock_timestamp(), lease_owner = NULL,
		lease_until = NULL
	WHERE id IN (SELECT job_id FROM r) RETURNING id`,
		id, worker, output).Scan(&got)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
