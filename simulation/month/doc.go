// Package month plays a month of the platform's videos through a
// discrete-event simulation (package des) and the suite's own models:
// the capacity plan of package scalability says which pools process a
// video and how long each takes, the YouTube upload scheduler and quota
// ledgers of package youtubeapi decide when a processed video may be
// uploaded, and the price catalog and cost model of package costanalysis
// say what the month costs.
//
// A run goes like this:
//
//  1. PlanFromRecords sizes scale.yaml with scalability.Plan (measured
//     records when the run has them, else its assumptions) and turns the
//     result into a Plan: pools of units (nodes, hosts or GPUs) with job
//     slots, priced per unit-hour from the catalog, and routes, the
//     stages a video passes through with the service seconds per media
//     second of each. Where the capacity model moves encoding (cards
//     without NVENC encode on their hosts' CPUs), the simulation follows.
//  2. Run shrinks the month's volume, the pools and the YouTube quotas by
//     Params.Fraction (the scale's sim_fraction), then plays it: arrivals
//     as a non-homogeneous Poisson process over the hourly and weekly
//     shapes with a weekly launch burst (the cumulative rate inverted);
//     video lengths from workload.video_length; service times from the
//     plan, spread by a lognormal content factor; units that start after
//     a delay when the autoscaler asks, fail (MTBF) and are replaced
//     after a start-up delay (the MTTR), or are spot capacity reclaimed
//     after a two-minute warning; interrupted jobs start again at the
//     head of the queue and their work is counted as lost; uploads go
//     through the real scheduler on the virtual clock. The figures of
//     assumptions.yaml (embedded) carry their sources.
//  3. The Result holds the time from upload to publish (p50, p95, p99)
//     against targets.volume.publish_p99, queue depth and utilisation
//     over time (WritePlots draws them), cost per video (compute as
//     simulated plus the cost model's storage, egress and databases),
//     quota exhaustion and deferred uploads, lost work, and Little's law
//     (L = lambda W) checked on the run. Records turns it into records;
//     the volume target's verdict comes from here.
//
// Sweep runs one Setting (PoolUnits, SpotShare, QuotaMultiple) over
// several values, one Result per value, in parallel and each as if alone.
// ProgressBar draws a long run's progress.
//
// Memory stays flat over simulated time: statistics stream, jobs are
// recycled, and videos waiting for YouTube are counted per minute of
// arrival rather than kept one by one.
package month
