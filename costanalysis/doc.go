// Package costanalysis turns a capacity plan and dated prices into the
// cost of one published video, finds the cheapest instance mix that
// still meets the plan, and says which input moves the cost most.
//
// The steps:
//
//  1. Prices come from package catalog: one data file per provider and
//     region, every price with its source and read date. A price older
//     than Options.MaxPriceAge is a warning on the result.
//  2. Declared costs the architecture of scale.yaml as declared: every
//     pool is paid for around the clock (idle capacity is paid for), so a
//     compute line's cost per video is its monthly bill over the month's
//     videos, which equals the busy cost of one video divided by the
//     pool's mean utilisation from the plan. Storage is the bytes of one
//     video kept for the retention period, walked through the storage
//     tiers (Options.Tiering); egress is the YouTube upload and delivery
//     bytes priced on the tiered egress table; the database tier is the
//     declared instances. Every line says where its inputs came from.
//  3. Optimize builds a covering linear programme (package lp): one
//     variable per instance type and purchase option; each instance
//     covers 1/n of the peak requirement, where n is how many of it
//     alone meet the plan's wait objective with the N+k margin in every
//     period (cards without NVENC can only encode with their host CPUs);
//     the spot share is bounded by Options.MaxSpotShare and spot capacity
//     is derated by its expected interruption. Branch and bound gives
//     whole instances; the mix is then re-planned as an architecture and
//     grown where a queue still misses its objective.
//  4. Sensitivity moves each input by a given share up and down and
//     reports the cost per video of both architectures.
//  5. Records writes the declared and optimized cost per video against
//     targets.cost.max_usd_per_video, with the breakdown as info.
package costanalysis
