// Package dbload is the DailyDoco database workload: the operations one
// video costs PostgreSQL, Redis and Neo4j, driven at the platform's peak
// rate by harness/load, with the capacity each store has left.
//
// How a run is built:
//
//  1. mix.yaml (DefaultMix) states each operation's count per video, its
//     store and its latency thresholds, with the reason for the count.
//     Counts per rendition follow the ladder of scale.yaml's default
//     profile.
//  2. PlanFor takes the peak video rate from scale.yaml
//     (targets.Derived.PeakVideosPerSecond) and the scale's durations. An
//     operation's rate is its count per video times the video rate.
//  3. PGStore, RedisStore and GraphStore create and seed their data
//     (Setup) and give each operation's code (Ops): a video and its job
//     created in one transaction, jobs claimed with FOR UPDATE SKIP
//     LOCKED and completed, renditions and uploads recorded, dashboard
//     and analytics reads; the job stream with consumer groups, acks and
//     XAUTOCLAIM of stale entries, rate-limit counters, a metadata cache
//     and idempotency keys; the knowledge graph's writes and traversals.
//     Check verifies that nothing was lost or done twice.
//  4. Workload.Run drives every operation of a store side by side, open
//     loop, and judges each against its thresholds and the store's run as
//     a whole against the mix's run thresholds. Workload.Knee raises the
//     video rate until a threshold breaks.
//
// The tests write these records (harness/record):
//
//	dbload/<store>/rate-at-slo          judged, ops/s: the steady run at
//	                                    peak x headroom; passes when every
//	                                    threshold held. Threshold: 95% of
//	                                    the target rate.
//	dbload/<store>/day-at-slo           judged, ops/s: a peak weekday's
//	                                    hourly shape compressed into the
//	                                    run, busiest hour at the steady
//	                                    rate; judged as rate-at-slo
//	dbload/<store>/<op>/p99             info, ms: the operation's p99
//	                                    latency in the steady run
//	dbload/<store>/knee                 info, ops/s: the highest rate at
//	                                    which every threshold held
//	dbload/<store>/videos-per-second-at-slo
//	                                    judged (target volume), videos/s:
//	                                    the knee over the store's
//	                                    operations per video, against the
//	                                    peak videos per second
//	usl/<store>/<op>                    info, ops/s: closed-loop throughput
//	                                    at one concurrency, for the
//	                                    Universal Scalability Law fit; the
//	                                    Note starts "concurrency=N" (N the
//	                                    number of clients), then
//	                                    "; p99=<duration>; errors=<n>"
//	dbload/postgres/ratio-vs-pgbench    info, ratio (benchmarks only): the
//	                                    driver's throughput over pgbench's
//	                                    (-S -M prepared, same clients); the
//	                                    Note holds both figures
//	dbload/redis/ratio-vs-redis-benchmark/<test>
//	                                    info, ratio (benchmarks only), test
//	                                    get, set, get-p16 or set-p16
//
// The benchmarks BenchmarkVersusPgbench and BenchmarkVersusRedisBenchmark
// report ratio-vs-pgbench and ratio-vs-redis-benchmark (better=higher;
// the goal is at least 0.9).
package dbload
