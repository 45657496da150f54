// Package quota accounts for YouTube Data API v3 quota the way Google
// does: per project, per bucket, per Pacific day, under the cost model in
// force.
//
// Use it in three steps:
//
//  1. Pick the model: Lookup("2026-06-01") (the setting
//     architecture.youtube.quota_model) or InForce(t). Models are dated
//     data embedded from costs.json; the cost of a method and its bucket
//     come from there, never from constants in code.
//  2. Open a Ledger per project over a Store: NewMemStore for tests and
//     the simulation, NewPGStore for a ledger that must survive restarts.
//  3. Around every API call: Reserve before it (refused with an
//     *ExhaustedError when the bucket cannot pay), Settle after it with
//     the call's youtubeapi.Outcome. A reservation counts as spent until
//     settled, so a crash between the two over-counts, never under-counts.
//
// Days run from midnight to midnight in America/Los_Angeles, daylight
// saving included (Day, NextReset); the time zone database is embedded so
// the result does not depend on the host.
//
// Ledger methods take the time of the call as an argument instead of
// reading a clock, so a simulation can drive them on a virtual clock.
package quota
