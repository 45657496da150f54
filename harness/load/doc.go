// Package load drives operations at a planned arrival rate and measures
// them without coordinated omission.
//
// A run has three parts:
//
//  1. A Schedule fixed before the run starts: Constant, Ramp, or a Curve of
//     segments (Steps builds one from a shape such as scale.yaml's hourly
//     weights). Start(i) is when operation i is due.
//  2. Run dispatches each operation at its due time to a pool of workers
//     (open loop) and never waits for replies to decide when to send. An
//     operation's latency is measured from its due time, its service time
//     from when it actually started, so a stall of the system under test
//     shows in the latency percentiles even while no worker is free.
//     Operations that start more than Options.LateAfter behind their due
//     time are counted as late; past Options.MaxLate the run reports
//     ErrLate.
//  3. The Result holds one HDR histogram for latency and one for service
//     time, merged exactly from histograms that a few workers each share
//     (one lock per pair, at most 2 x GOMAXPROCS pairs), so memory is
//     bounded by the machine and never grows with the length of the run
//     or the number of workers a stall calls up. Thresholds
//     such as "p99 < 50ms", "errors < 0.1%" or "rate >= 95%" are parsed by
//     ParseThresholds and judged by Check; a percentile with too few
//     samples to differ from the maximum (under 100 for p99) is reported
//     as not judged rather than passed or failed.
//
// RunClosed is the closed-loop measurement (each worker waits for a reply
// before it sends again, timed from the actual send). It is what pgbench
// and redis-benchmark do, so it is the right tool for throughput at a
// fixed concurrency (Sweep) and for side-by-side comparisons with them; it
// is the wrong tool for latency under a rate, because it stops sending
// while the system stalls. FindKnee raises the rate step by step to the
// highest rate at which the thresholds still hold.
//
// Nothing here prints or logs. Long runs report through
// Options.Progress.
package load
