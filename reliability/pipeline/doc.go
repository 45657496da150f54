// Package pipeline is the reference job pipeline of the reliability
// target: the shape the platform should have so that no video is ever
// lost, whatever fails.
//
// A job's life, step by step:
//
//  1. Submit inserts the job and its outbox row in PostgreSQL in one
//     statement, hence one transaction. PostgreSQL is the source of truth:
//     a job exists once that commit returns.
//  2. The relay reads unsent outbox rows, announces each job on a Redis
//     stream (XADD) and marks the rows sent. A crash between the two steps
//     announces a job twice, never zero times.
//  3. Workers read the stream through a consumer group (XREADGROUP). A
//     worker claims the job with a lease in PostgreSQL (lease_owner,
//     lease_until on the job's row), does the work, writes the result under
//     the job id as its idempotency key (the primary key of results, so a
//     second result is absorbed and counted as a duplicate) and
//     acknowledges the entry (XACK). A delivery whose job is done or
//     leased by another worker is acknowledged without work.
//  4. Entries a dead worker left pending are taken over by live workers
//     once idle for ReclaimIdle (XAUTOCLAIM).
//  5. The sweeper re-announces every job that is not done, holds no live
//     lease and was last announced more than Redeliver ago: an outbox row
//     that was never sent, a lease that expired without a result, an entry
//     that Redis lost. So a Redis restart that loses the stream loses no
//     job.
//
// Why the lease lives in PostgreSQL, not in a Redis key: the lease, the
// result and the job are then judged in one place, the sweeper finds
// "leased but expired" with one query, and a Redis that loses its data
// cannot drop a lease while the worker still holds the job. The price, one
// PostgreSQL write per claim, is small beside the work of a video.
//
// Two deliberately broken variants prove that the audit catches lost work:
// NoOutbox announces the job after the commit, once and without an outbox
// row, so a fault between commit and publish (or a Redis that loses the
// entry) loses the job; NoReclaim has neither XAUTOCLAIM nor the sweeper,
// so a worker that dies mid-job takes the job with it.
package pipeline
