package quota

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/youtubeapi"
)

// Project is one Google Cloud project of the API client and the daily
// size of its buckets.
type Project struct {
	ID string
	// Limits sets a bucket's units per day; a bucket not named here has
	// the model's default size. A limit of 0 means the bucket is empty.
	Limits map[Bucket]Units
}

// ProjectFromConfig converts a project of scale.yaml: its
// upload_calls_per_day sizes the uploads bucket (ignored by models
// without one, where inserts draw on general units) and its
// general_units_per_day the general bucket.
func ProjectFromConfig(p targets.YouTubeProject) Project {
	return Project{ID: p.ID, Limits: map[Bucket]Units{
		Uploads: Units(p.UploadCallsPerDay),
		General: Units(p.GeneralUnitsPerDay),
	}}
}

// Policy is how a Ledger charges a call that did not succeed.
type Policy int

const (
	// Conservative charges every failed call in full, except calls the
	// server refused for quota (charged nothing). Google documents only
	// that invalid calls cost "at least 1", so a client that must never
	// overspend assumes the worst. The default.
	Conservative Policy = iota
	// Minimum charges every failed call the model's
	// invalid_request_units (at most the call's cost): the least Google
	// charges. The emulator uses it to play the server.
	Minimum
)

// ErrExhausted is matched (errors.Is) by every *ExhaustedError.
var ErrExhausted = errors.New("quota exhausted")

// ExhaustedError says a bucket cannot pay for a call until ResetAt.
type ExhaustedError struct {
	Project string
	Bucket  Bucket
	Day     string
	Method  string
	// Need is the call's cost, Spent what the day's bucket has used and
	// Limit its size, in quota units.
	Need, Spent, Limit Units
	// ResetAt is the next midnight America/Los_Angeles.
	ResetAt time.Time
}

func (e *ExhaustedError) Error() string {
	return fmt.Sprintf("project %s bucket %s on %s: %s needs %d units, "+
		"%d of %d spent; resets %s", e.Project, e.Bucket, e.Day, e.Method,
		e.Need, e.Spent, e.Limit, e.ResetAt.UTC().Format(time.RFC3339))
}

// Unwrap makes errors.Is(err, ErrExhausted) true.
func (e *ExhaustedError) Unwrap() error { return ErrExhausted }

// Reservation is quota set aside for one call. It stays spent until
// Settle is called with the call's outcome.
type Reservation struct {
	Project string
	Method  string
	Day     string // the Pacific day charged, YYYY-MM-DD
	Cost           // the bucket and units set aside
}

// Ledger accounts for one project's quota. It is safe for concurrent use
// when its Store is; several Ledgers on one shared Store (several
// processes on one PostgreSQL) see each other's spending.
type Ledger struct {
	project Project
	model   *Model
	store   Store
	policy  Policy
	day     atomic.Pointer[dayCache]
}

// dayCache remembers the last Pacific day computed: a simulation calls
// the ledger millions of times a day and formatting dates dominates.
type dayCache struct {
	start, end time.Time
	day        string
}

// dayOf returns Day(at), from the cache when at falls in the last day.
func (l *Ledger) dayOf(at time.Time) string {
	if c := l.day.Load(); c != nil && !at.Before(c.start) &&
		at.Before(c.end) {
		return c.day
	}
	c := &dayCache{start: DayStart(at), end: NextReset(at), day: Day(at)}
	l.day.Store(c)
	return c.day
}

// NewLedger returns the ledger of project p under model, kept in store,
// with the Conservative policy.
func NewLedger(store Store, model *Model, p Project) (*Ledger, error) {
	if p.ID == "" {
		return nil, errors.New("new ledger: project id is empty")
	}
	if model == nil || store == nil {
		return nil, fmt.Errorf("new ledger %s: model and store are required",
			p.ID)
	}
	return &Ledger{project: p, model: model, store: store}, nil
}

// WithPolicy returns a copy of l that charges failed calls by policy.
func (l *Ledger) WithPolicy(policy Policy) *Ledger {
	c := &Ledger{project: l.project, model: l.model, store: l.store,
		policy: policy}
	return c
}

// Project returns the ledger's project id.
func (l *Ledger) Project() string { return l.project.ID }

// Model returns the cost model the ledger charges by.
func (l *Ledger) Model() *Model { return l.model }

// Limit returns bucket b's size in units per day: the project's own
// setting, else the model's default; 0 for a bucket the model lacks.
func (l *Ledger) Limit(b Bucket) Units {
	if !l.model.Has(b) {
		return 0
	}
	if v, ok := l.project.Limits[b]; ok {
		return v
	}
	return l.model.Buckets[b].UnitsPerDay
}

func (l *Ledger) key(day string, b Bucket) Key {
	return Key{Project: l.project.ID, Day: day, Bucket: b}
}

// Reserve sets aside the cost of one call of method at time at. It returns
// an *ExhaustedError when the bucket of the day cannot pay; nothing is
// reserved then.
func (l *Ledger) Reserve(ctx context.Context, method string, at time.Time) (
	Reservation, error) {
	c, err := l.model.Cost(method)
	if err != nil {
		return Reservation{}, fmt.Errorf("reserve: %w", err)
	}
	day := l.dayOf(at)
	limit := l.Limit(c.Bucket)
	spent, ok, err := l.store.Add(ctx, l.key(day, c.Bucket), c.Units, limit)
	if err != nil {
		return Reservation{}, fmt.Errorf("reserve %s for %s: %w", method,
			l.project.ID, err)
	}
	if !ok {
		return Reservation{}, &ExhaustedError{
			Project: l.project.ID, Bucket: c.Bucket, Day: day,
			Method: method, Need: c.Units, Spent: spent, Limit: limit,
			ResetAt: NextReset(at),
		}
	}
	return Reservation{Project: l.project.ID, Method: method, Day: day,
		Cost: c}, nil
}

// Charge returns what a call reserved as r costs when it ended with o,
// under the ledger's policy.
func (l *Ledger) Charge(r Reservation, o youtubeapi.Outcome) Units {
	switch {
	case o.Class() == youtubeapi.ClassOK:
		return r.Units
	case o.Class() == youtubeapi.ClassQuota:
		return 0
	case l.policy == Minimum && o.Sent():
		return min(l.model.InvalidRequestUnits, r.Units)
	}
	return r.Units
}

// Settle replaces reservation r by the charge for outcome o (see Charge)
// and returns the units charged. An outcome of quotaExceeded or
// dailyLimitExceeded at time at also marks the bucket of that day spent:
// the server knows better than the ledger.
func (l *Ledger) Settle(ctx context.Context, r Reservation,
	o youtubeapi.Outcome, at time.Time) (Units, error) {
	charge := l.Charge(r, o)
	if d := charge - r.Units; d != 0 {
		if _, err := l.store.Adjust(ctx, l.key(r.Day, r.Bucket), d); err != nil {
			return 0, fmt.Errorf("settle %s for %s: %w", r.Method, r.Project,
				err)
		}
	}
	if o.Class() == youtubeapi.ClassQuota {
		if err := l.Exhaust(ctx, r.Bucket, at); err != nil {
			return charge, err
		}
	}
	return charge, nil
}

// Release returns reservation r unspent, for a call that was never made.
func (l *Ledger) Release(ctx context.Context, r Reservation) error {
	if _, err := l.store.Adjust(ctx, l.key(r.Day, r.Bucket), -r.Units); err != nil {
		return fmt.Errorf("release %s for %s: %w", r.Method, r.Project, err)
	}
	return nil
}

// Exhaust marks bucket b spent for the Pacific day of at.
func (l *Ledger) Exhaust(ctx context.Context, b Bucket, at time.Time) error {
	_, err := l.store.Raise(ctx, l.key(l.dayOf(at), b), l.Limit(b))
	if err != nil {
		return fmt.Errorf("exhaust %s of %s: %w", b, l.project.ID, err)
	}
	return nil
}

// Usage is one bucket's state on one day.
type Usage struct {
	Bucket  Bucket    `json:"bucket"`
	Spent   Units     `json:"spent"`
	Limit   Units     `json:"limit"`
	ResetAt time.Time `json:"reset_at"`
}

// Remaining returns the units bucket b can still pay on the day of at.
func (l *Ledger) Remaining(ctx context.Context, b Bucket, at time.Time) (
	Units, error) {
	spent, err := l.store.Spent(ctx, l.key(l.dayOf(at), b))
	if err != nil {
		return 0, fmt.Errorf("remaining %s of %s: %w", b, l.project.ID, err)
	}
	return max(l.Limit(b)-spent, 0), nil
}

// Usage returns every bucket's state on the day of at.
func (l *Ledger) Usage(ctx context.Context, at time.Time) ([]Usage, error) {
	var out []Usage
	for _, b := range l.model.BucketNames() {
		spent, err := l.store.Spent(ctx, l.key(l.dayOf(at), b))
		if err != nil {
			return nil, fmt.Errorf("usage of %s: %w", l.project.ID, err)
		}
		out = append(out, Usage{Bucket: b, Spent: spent, Limit: l.Limit(b),
			ResetAt: NextReset(at)})
	}
	return out, nil
}

// LedgersFor opens one ledger per project of scale.yaml's
// architecture.youtube, under its quota_model, on store; keyed by
// project id.
func LedgersFor(store Store, y targets.YouTubeDeployment) (
	map[string]*Ledger, error) {
	m, err := Lookup(y.QuotaModel)
	if err != nil {
		return nil, fmt.Errorf("ledgers: %w", err)
	}
	out := make(map[string]*Ledger, len(y.Projects))
	for _, p := range y.Projects {
		l, err := NewLedger(store, m, ProjectFromConfig(p))
		if err != nil {
			return nil, fmt.Errorf("ledgers: %w", err)
		}
		out[p.ID] = l
	}
	return out, nil
}
