// Package reliability measures the reliability target: 99.9% of
// operations succeed within their deadline under peak load, and no job is
// ever lost, while services and workers fail.
//
// An Experiment runs the reference pipeline (package pipeline) against
// real PostgreSQL and Redis servers, in four steps:
//
//  1. It puts a toxiproxy (harness/fault) between the pipeline's clients
//     and each server, names the proxies "postgres" and "redis", and hands
//     the server handles ("postgres-server", "redis-server") and the
//     worker pool ("workers") to a fault runner.
//  2. It submits jobs open loop at a fixed rate (harness/load) while the
//     runner plays a fault schedule (testdata/schedules holds the ones the
//     tests use; a user can write more).
//  3. It waits, under a deadline, until every job in PostgreSQL is done,
//     then audits end to end: every job created must have exactly one
//     result; duplicates absorbed by the idempotency key are counted; a
//     job without a result is lost.
//  4. It measures availability (the share of jobs submitted within the
//     submit deadline and done within the completion deadline, both from
//     the job's due time), recovery per fault (from the fault's end to the
//     first success, and to the first job from which service is as good
//     as before the fault), and for a Redis restart the stream entries
//     its persistence setting lost.
//
// Emit turns an Outcome into records for the scorecard.
package reliability
