// Package month plays a month of the platform's videos through a
// discrete-event simulation (package des) and the suite's own models:
// the capacity plan of package scalability says which pools process a
// video and how long each takes, the YouTube quota ledger and upload
// scheduler of package youtubeapi decide when a finished video may be
// uploaded, and the prices say what the month costs.
//
// A run goes like this:
//
//  1. Plan turns scale.yaml into pools of units (nodes, hosts or GPUs),
//     each with job slots, and routes: the stages one video passes
//     through, with the service seconds per media second of each.
//  2. Run scales the month's volume and the pools by
//     Params.Fraction, then plays it: arrivals as a non-homogeneous
//     Poisson process over the hourly and weekly shapes with a weekly
//     launch burst; video lengths from workload.video_length; service
//     times from the plan; units that start after a delay when the
//     autoscaler asks, fail and are replaced, or are spot capacity that
//     is reclaimed after a two-minute warning; uploads through the real
//     scheduler on the virtual clock.
//  3. The Result holds the time from upload to publish (p50, p95, p99)
//     against targets.volume.publish_p99, queue depth and utilisation
//     over time, cost per video, quota exhaustion and deferred uploads,
//     lost work, and a Little's law check (L = lambda W).
//
// Sweep runs one setting over several values, one Result per value.
//
// Memory stays flat over simulated time: statistics stream, jobs are
// recycled, and videos waiting for YouTube are counted per minute of
// arrival rather than kept one by one.
package month
