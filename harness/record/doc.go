// Package record writes and reads measurement records: one JSON line per
// figure that bears on a Key Target, with its unit, direction, threshold,
// verdict and where it came from.
//
// Tests call Emit; scaletest run gathers the files and builds the
// scorecard from them. Records go to the directory named by
// SCALETEST_RESULTS, by default "results" at the module root.
package record
