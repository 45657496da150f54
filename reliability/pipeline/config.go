package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Variant selects the reference pipeline or one of its broken forms.
type Variant string

// Variants.
const (
	// Reference is the pipeline as it should be built.
	Reference Variant = "reference"
	// NoOutbox publishes after the commit, once, and has no outbox row
	// for the sweeper to find.
	NoOutbox Variant = "no-outbox"
	// NoReclaim never takes over a dead worker's entries and has no
	// sweeper.
	NoReclaim Variant = "no-reclaim"
)

// WorkFunc does the work of one job and returns its output. It must
// return promptly once ctx is done.
type WorkFunc func(ctx context.Context, jobID string) (string, error)

// Config tunes a Pipeline. The zero value of a field means its value in
// DefaultConfig.
type Config struct {
	Variant Variant
	// Stream is the Redis stream key; Group its consumer group.
	Stream string
	Group  string
	// Workers is the number of workers started with the pipeline.
	Workers int
	// WorkDelay is how long the default work of a job takes.
	WorkDelay time.Duration
	// Work replaces the default work (a sleep of WorkDelay) when set.
	// TODO: offer a tiny real encode (ffmpeg, through performance's
	// runner) as a Work; a sleep keeps the CI run within its budget.
	Work WorkFunc
	// Lease is how long a claim holds a job.
	Lease time.Duration
	// ReclaimIdle is how long an entry stays pending before another
	// worker takes it over; it should exceed Lease.
	ReclaimIdle time.Duration
	// ReclaimEvery is how often each worker looks for such entries.
	ReclaimEvery time.Duration
	// Redeliver is how long after its last announcement an unleased job
	// that is not done is announced again.
	Redeliver time.Duration
	// RelayEvery and SweepEvery are the periods of the relay and the
	// sweeper.
	RelayEvery time.Duration
	SweepEvery time.Duration
	// Block is how long a worker's XREADGROUP waits for an entry.
	Block time.Duration
	// OpTimeout bounds every call to PostgreSQL or Redis.
	OpTimeout time.Duration
	// Backoff is the pause after a failed call before the next try.
	Backoff time.Duration
}

// DefaultConfig is sized for a CI run of seconds: leases and redelivery
// of a second or two, so that a fault is recovered from within the run.
var DefaultConfig = Config{
	Variant:      Reference,
	Stream:       "jobs",
	Group:        "workers",
	Workers:      4,
	WorkDelay:    20 * time.Millisecond,
	Lease:        time.Second,
	ReclaimIdle:  1500 * time.Millisecond,
	ReclaimEvery: 250 * time.Millisecond,
	Redeliver:    2 * time.Second,
	RelayEvery:   20 * time.Millisecond,
	SweepEvery:   250 * time.Millisecond,
	Block:        100 * time.Millisecond,
	OpTimeout:    time.Second,
	Backoff:      50 * time.Millisecond,
}

// withDefaults fills zero fields from DefaultConfig and reports every
// impossible setting.
func (c Config) withDefaults() (Config, error) {
	d := DefaultConfig
	var errs []error
	str := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	dur := func(v *time.Duration, def time.Duration, name string) {
		switch {
		case *v == 0:
			*v = def
		case *v < 0:
			errs = append(errs, fmt.Errorf("%s = %v: want > 0", name, *v))
		}
	}
	if c.Variant == "" {
		c.Variant = d.Variant
	}
	switch c.Variant {
	case Reference, NoOutbox, NoReclaim:
	default:
		errs = append(errs, fmt.Errorf("variant %q: want %s, %s or %s",
			c.Variant, Reference, NoOutbox, NoReclaim))
	}
	str(&c.Stream, d.Stream)
	str(&c.Group, d.Group)
	switch {
	case c.Workers == 0:
		c.Workers = d.Workers
	case c.Workers < 0:
		errs = append(errs, fmt.Errorf("workers = %d: want > 0", c.Workers))
	}
	dur(&c.WorkDelay, d.WorkDelay, "work delay")
	dur(&c.Lease, d.Lease, "lease")
	dur(&c.ReclaimIdle, d.ReclaimIdle, "reclaim idle")
	dur(&c.ReclaimEvery, d.ReclaimEvery, "reclaim every")
	dur(&c.Redeliver, d.Redeliver, "redeliver")
	dur(&c.RelayEvery, d.RelayEvery, "relay every")
	dur(&c.SweepEvery, d.SweepEvery, "sweep every")
	dur(&c.Block, d.Block, "block")
	dur(&c.OpTimeout, d.OpTimeout, "op timeout")
	dur(&c.Backoff, d.Backoff, "backoff")
	if c.ReclaimIdle < c.Lease {
		errs = append(errs, fmt.Errorf("reclaim idle %v is below the lease "+
			"%v: live workers' entries would be taken over", c.ReclaimIdle,
			c.Lease))
	}
	if err := errors.Join(errs...); err != nil {
		return c, fmt.Errorf("pipeline config: %w", err)
	}
	return c, nil
}
