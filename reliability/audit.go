package reliability

import (
	"context"
	"slices"
	"time"

	"github.com/scaletest/scaletest/harness/fault"
	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/reliability/pipeline"
)

// Op is one job of the load, as the client saw it and as the audit found
// it.
type Op struct {
	ID  string
	Due time.Time // when the load meant to submit it
	// Submitted is when Submit last returned nil; zero if it never did.
	Submitted time.Time
	Attempts  int
	Err       error // the last submit error, nil once submitted
	// Created reports whether the job is in PostgreSQL, Done when its
	// result was stored (PostgreSQL's clock; zero if never).
	Created bool
	Done    time.Time
}

// Latency is the time from the job's due time to its result, or -1 when
// it was never done.
func (o *Op) Latency() time.Duration {
	if o.Done.IsZero() {
		return -1
	}
	return o.Done.Sub(o.Due)
}

// Audit is the end-to-end check of an experiment, from PostgreSQL, the
// source of truth.
type Audit struct {
	// Scheduled is the number of jobs the load meant to submit;
	// Acknowledged the number whose Submit returned nil.
	Scheduled    int
	Acknowledged int
	// Created is the number of jobs in PostgreSQL, Done the number of
	// those with a result. A job appears at most once in each (primary
	// keys), so Done jobs were done exactly once in effect.
	Created int
	Done    int
	// Lost is the number of jobs created or acknowledged that have no
	// result; LostIDs lists up to ten of them.
	Lost    int
	LostIDs []string
	// Duplicates is the number of results the idempotency key absorbed;
	// Executions the number of times work ran to its end.
	Duplicates int64
	Executions int64
}

// Outcome is everything an experiment measured.
type Outcome struct {
	Name       string
	Variant    pipeline.Variant
	Load       Load
	Experiment Experiment
	// Origin is the start of the timeline of the load and the faults.
	Origin   time.Time
	Faults   *fault.Report
	FaultErr error // a fault that could not be applied or removed
	Ops      []Op
	// LoadResult and LoadErr are the load driver's (ErrLate, ErrBehind).
	LoadResult *load.Result
	LoadErr    error
	// Drained reports whether every job was done within the drain
	// timeout, DrainTook how long the wait took.
	Drained   bool
	DrainTook time.Duration
	Stats     pipeline.Stats
	Audit     Audit
	// Availability is the share of scheduled jobs, 0 to 1, submitted
	// within the submit deadline and done within the completion
	// deadline. SubmitAvailability counts the submit deadline alone.
	Availability       float64
	SubmitAvailability float64
	// Recovery has one entry per fault that took effect.
	Recovery []Recovery
	// StreamLoss has one entry per kill or restart of the Redis server;
	// RedisPersistence is that server's setting.
	StreamLoss       []StreamLoss
	RedisPersistence string
}

// auditJobs reads every job and result and fills o.Audit and the Created
// and Done fields of o.Ops.
func (x *run) auditJobs(ctx context.Context, o *Outcome) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	rows, err := x.audit.Query(ctx, `SELECT j.id, r.at FROM jobs j
		LEFT JOIN results r ON r.job_id = j.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	done := map[string]*time.Time{}
	for rows.Next() {
		var id string
		var at *time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return err
		}
		done[id] = at
	}
	if err := rows.Err(); err != nil {
		return err
	}

	a := &o.Audit
	a.Scheduled = len(o.Ops)
	a.Created = len(done)
	seen := map[string]bool{}
	for i := range o.Ops {
		op := &o.Ops[i]
		if op.ID == "" { // never dispatched by the load
			continue
		}
		seen[op.ID] = true
		if !op.Submitted.IsZero() {
			a.Acknowledged++
		}
		at, ok := done[op.ID]
		op.Created = ok
		if at != nil {
			op.Done = *at
		}
		if (ok || !op.Submitted.IsZero()) && at == nil {
			a.Lost++
			a.LostIDs = append(a.LostIDs, op.ID)
		}
	}
	for id, at := range done {
		if at != nil {
			a.Done++
		} else if !seen[id] { // created by no op of this run: still lost
			a.Lost++
			a.LostIDs = append(a.LostIDs, id)
		}
	}
	slices.Sort(a.LostIDs)
	a.LostIDs = a.LostIDs[:min(len(a.LostIDs), 10)]
	a.Duplicates = o.Stats.Duplicates
	a.Executions = o.Stats.Executions
	return nil
}
