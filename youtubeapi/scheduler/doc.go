// Package scheduler decides which upload goes to YouTube next, across many
// channels and projects, within quota and channel caps.
//
// A Scheduler is a pure step function on a clock the caller owns: it has
// no goroutines, timers or sleeps, and every method takes the current
// time. The same code serves a real uploader (now = time.Now()) and the
// discrete-event simulation (now = the virtual clock). A caller:
//
//  0. New(FromConfig(scale.yaml's architecture.youtube, a quota.Store)):
//     one quota.Ledger per project, the channels and their caps; or
//     DefaultConfig with Projects of its own. quota.NewMemStore suits a
//     simulation (MemStore.Forget drops past days).
//  1. Submit(upload, now) for every video to publish.
//  2. Next(ctx, now): the next upload to start, with quota already
//     reserved for its videos.insert call and for Config.FollowUps
//     (Decision.FollowUps; the caller settles those after making the
//     calls); ok is false when nothing may start now.
//  3. Runs the call, then Report(ctx, id, youtubeapi.OutcomeOf(err), now):
//     the scheduler settles the quota and reacts (see below).
//  4. When Next says no, WakeAt(now) is the earliest time anything can
//     change without a Submit or Report: a backoff ends, a channel frees a
//     slot in its 24-hour window, a breaker closes, the quota resets. A
//     simulation schedules its next call of Next there; a live loop
//     sleeps until then or until an upload finishes.
//
// Deferrals(now) says for every waiting upload why it waits (a Reason and
// a sentence) and until when.
//
// Choice among uploads that may start: highest Priority first, then the
// earliest Deadline (none is last), then the channel served longest ago,
// so that equal work rotates over channels (fairness); ties go to the
// upload submitted first.
//
// Reactions to outcomes (FACTS.md):
//   - success: counts in the channel's rolling 24-hour window.
//   - quotaExceeded, dailyLimitExceeded: the project's bucket is marked
//     spent and the project waits for the Pacific midnight reset. Its
//     uploads are never moved to another project: one API client gets one
//     project (Developer Policies III.D.1.c).
//   - uploadLimitExceeded: the channel stops for 24 hours and its cap is
//     learned as the number of uploads then in its window; other channels
//     go on.
//   - rateLimitExceeded: the project backs off; userRateLimitExceeded: the
//     channel backs off; backendError, other 5xx and transport failures:
//     the upload backs off. Backoff is exponential with jitter, and only
//     these retryable outcomes are retried.
//   - repeated retryable failures open a breaker on the channel and on the
//     project's upload bucket for a while.
//   - any other error fails the upload for good.
//
// A Scheduler is not safe for concurrent use; a live caller serialises
// Submit, Next and Report (a mutex, or one goroutine).
package scheduler
