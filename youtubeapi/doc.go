// Package youtubeapi decides whether the platform can publish its daily
// volume to YouTube within the Data API v3 quota and the channels' upload
// caps, and holds the pieces that do the publishing honestly.
//
// The pieces, each a subpackage:
//
//  1. quota: the dated cost tables (which method costs what, from which
//     bucket, under which model) and a ledger per project that reserves
//     quota before a call, settles it after, resets at midnight
//     America/Los_Angeles and keeps its state in a Store (memory or
//     PostgreSQL).
//  2. scheduler: chooses the next upload across many channels by
//     priority, deadline and fairness, within each channel's rolling
//     24-hour cap and each project's quota; backs off on retryable errors
//     only; never fails over from an exhausted project to another one.
//     It is a pure step function (Next, Report) for the simulation.
//  3. upload: the resumable upload protocol with persisted sessions, and
//     the official Go client pointed at any endpoint.
//  4. emulator: an http.Handler that speaks the part of API v3 an uploader
//     uses, with quota, caps, Google-format errors and fault knobs.
//  5. planner: what the target uploads per day needs in quota and
//     channels, against the configuration, as records.
//
// This package holds what they share: the error reasons YouTube returns
// and what each one means for the caller (Classify, OutcomeOf).
package youtubeapi
