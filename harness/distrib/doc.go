// Package distrib runs load and sweeps on many machines and merges what
// they measured into one result, exactly.
//
// A distributed run is a Kubernetes Indexed Job whose pods run the
// compiled test binaries (go test -c); each pod reads its shard from
// JOB_COMPLETION_INDEX. The pieces:
//
//  1. Shard says which part of the work a pod owns: operation i of an
//     open-loop schedule belongs to shard i mod N, so the union of the
//     shards is exactly the schedule of one process, and the per-shard
//     rates add up to the total; sweep cells are dealt out the same way,
//     each covered once.
//  2. Job builds the batch/v1 Job manifest (indexed completion,
//     parallelism N) and Validate checks it with the API server's rules
//     for the fields it sets.
//  3. Each shard runs ShardSchedule, its part of the open-loop schedule,
//     and writes its records (harness/record), its load results with their
//     HDR histograms (WriteResult) and its benchmark output to its own
//     directory.
//  4. Merge reads every shard directory: records are concatenated with
//     their shard, load results of one name are merged exactly (counts
//     added, histograms merged, so percentiles come from the merged
//     histogram, never from averaged percentiles), benchmark files are
//     concatenated for benchstat. Check judges thresholds such as
//     "p99 < 50ms" on the merged result: one verdict for the whole run.
package distrib
