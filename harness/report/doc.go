// Package report reads and writes scaletest run directories and shows
// them: the Markdown summary, the self-contained HTML report, the charts
// (inline SVG, no scripts) and the dashboard server with its JSON API.
//
// A run directory, as scaletest run writes it:
//
//	runs/<id>/            id = start time, UTC, 20261203T170102Z
//	  run.json            the Manifest: times, scale, machine, commit,
//	                      stages and the outcome of every package
//	  scale.yaml          the configuration the run used
//	  records.jsonl       the records the tests wrote (harness/record)
//	  bench.txt           benchmark results in the Go benchmark format
//	  test.log            the raw go test -json stream
//	  stderr.log          what go test wrote to stderr
//	  summary.md          the scorecard in Markdown
//	  report.html         the report: scorecard, figures, charts
//
// Reading is forgiving: LoadRun keeps every good record and benchmark
// line and reports each problem (a truncated records file, a malformed
// benchmark line, a missing manifest) in Run.Problems, so one broken run
// never hides the others.
package report
