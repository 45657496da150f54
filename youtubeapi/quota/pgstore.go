package quota

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DB is what PGStore needs of a PostgreSQL connection: *pgxpool.Pool
// (safe for concurrent use) and *pgx.Conn (one goroutine) both have it.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag,
		error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// PGStore is a Store in PostgreSQL, one row per project, day and bucket
// in table youtube_quota. Every method is one statement, atomic on the
// server, so ledgers in several processes share it safely, and a
// restarted process finds what the day has spent.
type PGStore struct {
	db DB
}

// pgSchema creates the table; running it again changes nothing.
const pgSchema = `CREATE TABLE IF NOT EXISTS youtube_quota (
	project text   NOT NULL,
	day     date   NOT NULL,
	bucket  text   NOT NULL,
	spent   bigint NOT NULL CHECK (spent >= 0),
	PRIMARY KEY (project, day, bucket)
)`

// NewPGStore returns a store on db, creating its table if it is missing.
func NewPGStore(ctx context.Context, db DB) (*PGStore, error) {
	if _, err := db.Exec(ctx, pgSchema); err != nil {
		return nil, fmt.Errorf("create youtube_quota: %w", err)
	}
	return &PGStore{db: db}, nil
}

// Add implements Store: the row is created or increased only if the
// total stays within limit.
func (s *PGStore) Add(ctx context.Context, k Key, units, limit Units) (
	Units, bool, error) {
	const q = `INSERT INTO youtube_quota AS q (project, day, bucket, spent)
		SELECT $1, $2::date, $3, $4::bigint WHERE $4::bigint <= $5::bigint
		ON CONFLICT (project, day, bucket) DO UPDATE
			SET spent = q.spent + EXCLUDED.spent
			WHERE q.spent + EXCLUDED.spent <= $5::bigint
		RETURNING spent`
	var spent Units
	err := s.db.QueryRow(ctx, q, k.Project, k.Day, string(k.Bucket),
		int64(units), int64(limit)).Scan(&spent)
	if errors.Is(err, pgx.ErrNoRows) {
		cur, err := s.Spent(ctx, k)
		return cur, false, err
	}
	if err != nil {
		return 0, false, fmt.Errorf("add quota %v: %w", k, err)
	}
	return spent, true, nil
}

// Adjust implements Store.
func (s *PGStore) Adjust(ctx context.Context, k Key, delta Units) (
	Units, error) {
	const q = `INSERT INTO youtube_quota AS q (project, day, bucket, spent)
		VALUES ($1, $2::date, $3, GREATEST($4::bigint, 0))
		ON CONFLICT (project, day, bucket) DO UPDATE
			SET spent = GREATEST(q.spent + $4::bigint, 0)
		RETURNING spent`
	return s.upsert(ctx, "adjust", q, k, delta)
}

// Raise implements Store.
func (s *PGStore) Raise(ctx context.Context, k Key, floor Units) (
	Units, error) {
	const q = `INSERT INTO youtube_quota AS q (project, day, bucket, spent)
		VALUES ($1, $2::date, $3, GREATEST($4::bigint, 0))
		ON CONFLICT (project, day, bucket) DO UPDATE
			SET spent = GREATEST(q.spent, EXCLUDED.spent)
		RETURNING spent`
	return s.upsert(ctx, "raise", q, k, floor)
}

func (s *PGStore) upsert(ctx context.Context, op, q string, k Key,
	v Units) (Units, error) {
	var spent Units
	err := s.db.QueryRow(ctx, q, k.Project, k.Day, string(k.Bucket),
		int64(v)).Scan(&spent)
	if err != nil {
		return 0, fmt.Errorf("%s quota %v: %w", op, k, err)
	}
	return spent, nil
}

// Spent implements Store.
func (s *PGStore) Spent(ctx context.Context, k Key) (Units, error) {
	const q = `SELECT spent FROM youtube_quota
		WHERE project = $1 AND day = $2::date AND bucket = $3`
	var spent Units
	err := s.db.QueryRow(ctx, q, k.Project, k.Day, string(k.Bucket)).
		Scan(&spent)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read quota %v: %w", k, err)
	}
	return spent, nil
}
