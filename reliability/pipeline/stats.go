package pipeline

import (
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// Stats counts what a pipeline did. The counts are of events, not jobs:
// one job may be announced, delivered and claimed several times.
type Stats struct {
	SubmitCalls  int64 // calls to Submit
	SubmitErrors int64 // calls to Submit that failed
	// PublishErrors counts announcements after commit that failed
	// (NoOutbox only): each is a job the variant loses.
	PublishErrors int64
	Announced     int64 // stream entries Redis acknowledged
	Reannounced   int64 // jobs the sweeper marked for announcement again
	Deliveries    int64 // entries the workers handled
	Reclaimed     int64 // entries taken over from idle consumers
	// Redundant counts deliveries of jobs done or leased by another
	// worker, acknowledged without work.
	Redundant  int64
	Claims     int64 // leases taken
	Executions int64 // jobs worked on to the end
	Results    int64 // results stored
	// Duplicates counts results the idempotency key absorbed.
	Duplicates      int64
	Crashes         int64 // workers that died mid-job
	GroupsRecreated int64 // consumer groups recreated after Redis lost them
	Errors          int64 // failed calls to PostgreSQL or Redis
}

// inc adds one to a counter of p.st; every access to p.st is atomic.
func inc(field *int64) { atomic.AddInt64(field, 1) }

// Stats returns a snapshot of the pipeline's counts.
func (p *Pipeline) Stats() Stats {
	s := &p.st
	load := atomic.LoadInt64
	return Stats{
		SubmitCalls: load(&s.SubmitCalls), SubmitErrors: load(&s.SubmitErrors),
		PublishErrors: load(&s.PublishErrors), Announced: load(&s.Announced),
		Reannounced: load(&s.Reannounced), Deliveries: load(&s.Deliveries),
		Reclaimed: load(&s.Reclaimed), Redundant: load(&s.Redundant),
		Claims: load(&s.Claims), Executions: load(&s.Executions),
		Results: load(&s.Results), Duplicates: load(&s.Duplicates),
		Crashes: load(&s.Crashes), GroupsRecreated: load(&s.GroupsRecreated),
		Errors: load(&s.Errors),
	}
}

// isBusyGroup reports the error of creating a group that exists.
func isBusyGroup(err error) bool {
	return err != nil && redis.HasErrorPrefix(err, "BUSYGROUP")
}

// isNoGroup reports the error of reading through a group (or stream) that
// Redis no longer has, as after a restart that lost its data.
func isNoGroup(err error) bool {
	return err != nil && redis.HasErrorPrefix(err, "NOGROUP")
}
