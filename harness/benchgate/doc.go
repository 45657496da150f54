// Package benchgate decides whether a new set of benchmark results is
// worse than a baseline, with the statistics benchstat uses, and says
// why when it cannot tell.
//
// The gate, in order:
//
//  1. reads both files with benchfmt.Files, labelled "base" and "new",
//     keeping each file's "Unit" lines (better=, assume=);
//  2. groups results with benchproc by package and full benchmark name
//     (rows) and by goos, goarch and cpu (configuration), and keeps what
//     else varies (the residue) to warn about;
//  3. for every benchmark and unit on both sides, summarises each side
//     with benchmath (the median under AssumeNothing, the value under
//     assume=exact) and compares them (a Mann-Whitney U test, or exact
//     equality), as benchstat does;
//  4. calls a change a regression when it is significant (p <= alpha, the
//     rule by which benchstat prints a delta instead of "~"), larger than
//     the threshold, and in the unit's worse direction (better=lower or
//     higher, from the Unit lines or benchfmt's built-in units).
//
// What keeps a comparison from being made or trusted is a Finding beside
// the result, said once per kind and unit with the rest counted: too few
// samples for p to reach alpha, a cpu, goos, goarch, package or
// GOMAXPROCS difference, a unit without a direction, a benchmark missing
// on one side, unparsable lines. By default findings are reported and
// the gate passes; in strict mode they fail it.
//
// MachineClass names the baseline directory of this machine.
package benchgate
