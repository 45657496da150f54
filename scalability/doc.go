// Package scalability sizes the declared architecture of scale.yaml for
// its workload and says, resource by resource, whether it holds: the
// capacity model behind the cluster, storage and network Key Targets.
//
// One call does it all:
//
//	plan, err := scalability.Plan(cfg, scalability.MeasurementsFromRecords(recs))
//
// The steps:
//
//  1. Work: what one media second costs on each engine (x264 vCPU-seconds,
//     NVENC and NVDEC frames) and what it writes (output and source
//     bytes). Measured records win; otherwise the embedded assumptions
//     (data/assumptions.yaml, each figure with its source and read date)
//     stand in, and every figure says which it is.
//  2. Periods: the 168 hours of the week at hourly x weekday weight, and
//     the burst on top of the busiest hour. Every resource is sized in
//     every period (pointwise-stationary), never in one steady state.
//  3. Compute: each GPU pool's cards are looked up in data/cards.yaml. A
//     pool with role encode whose card has no NVENC (A100, H100, H200)
//     cannot encode: its NVENC resource fails against zero engines, and
//     the encoding is placed where it really lands, x264 on the hosts'
//     CPUs, sized in hosts. Jobs queue as G/G/c (Allen-Cunneen over
//     Erlang C, package queue) with lognormal service times; servers are
//     the fewest that meet the wait objective. The N+k margin adds
//     targets.cluster.spare_fraction of the requirement, rounded up.
//  4. Databases: operations per video over what one instance serves at
//     its latency SLO. Storage: bytes per video x volume gives TB/day,
//     write bandwidth per period and retained bytes. Network: bytes in
//     (sources) and out (YouTube upload, delivery) per video give the
//     busiest hour and the 99.9th percentile minute of the burst.
//  5. Verdicts: required (with spare) against declared, the headroom, the
//     mean utilisation of what is paid for, and the source: measured
//     figures make a modeled-from-measured verdict, any assumption makes
//     it config. Records turns the plan into records.
//
// # Records read
//
// MeasurementsFromRecords picks these names out of a records file; all
// are optional, the latest of a name wins, a wrong unit is passed over
// with a note:
//
//	rtf/<profile>/<input>                      rtf       one job (kept, not sized on)
//	cpu-sec-per-media-sec/<profile>/<input>    cpu-s/s   CPU time, whole profile
//	output-bytes-per-media-sec/<profile>/<input>         B/s  all outputs
//	output-bytes-per-media-sec/<profile>/<input>/<rung>  B/s  one rung ("1080p-h264")
//	dbload/<store>/videos-per-second-at-slo    videos/s  one instance within its SLO
//	db/<store>/ops-at-slo                      ops/s     one instance within its SLO
//	gpu/<card>/encode-fps                      frames/s  1080p H.264, whole card
//	gpu/<card>/decode-fps                      frames/s  1080p H.264, whole card
//	usl/<store>/<op>, Note "concurrency=N..."  any rate  throughput at N clients
//	usl/<resource>/<N>                         any rate  throughput at N
//
// The rtf, cpu-sec and output-bytes names are what performance's speed
// test writes, dbload/ and usl/<store>/<op> what performance/dbload
// writes; db/ and gpu/ are this package's proposal for figures nobody
// writes yet. A capacity of 0 or less is passed over with a note.
//
// Inputs named like "code-1080p30" at the source height are preferred;
// of several, the costliest is used (conservative) and the note says the
// spread.
//
// # Records written
//
// Records(plan) returns:
//
//	cluster/<resource>/required      required with N+k vs declared (lower is better)
//	cluster/<pool>/declared          a pool with no modeled work (info)
//	cluster/declared-gpus            info
//	cluster/alternative/<way>        what all videos need encoded that way (info)
//	storage/tb-per-day               vs targets.storage.max_tb_per_day
//	storage/write-gbps               busiest period, vs architecture.storage.write_gbps
//	storage/retained-pb              vs architecture.storage.capacity_pb
//	storage/bytes-per-video          info
//	network/<in|out>/peak-hour-gbps  vs targets.network.sustained_gbps
//	network/<in|out>/busiest-minute-gbps  vs targets.network.burst_gbps
//	network/link/<link-and-check>-gbps    vs the declared link
//	usl-fit/<resource>/<parameter>   info
//
// Subpackages: queue (Erlang B and C, Allen-Cunneen, staffing) and usl
// (Universal Scalability Law fits).
package scalability
