package scheduler

import (
	"fmt"
	"time"
)

// Reason says why an upload waits.
type Reason int

// Reasons an upload waits. Every waiting upload has exactly one: the
// first that applies in this order (project, channel, upload).
const (
	// ReasonNone: nothing holds the upload back.
	ReasonNone Reason = iota
	// ReasonQueued: it may start, but others go first (priority,
	// deadline, fairness) or Next has not been called.
	ReasonQueued
	// ReasonQuotaExhausted: the project's bucket is spent until the
	// Pacific midnight reset.
	ReasonQuotaExhausted
	// ReasonRateLimited: the project backs off after rateLimitExceeded.
	ReasonRateLimited
	// ReasonProjectBreaker: the breaker of the project's upload bucket is
	// open after repeated failures.
	ReasonProjectBreaker
	// ReasonChannelCap: the channel's rolling 24-hour cap is reached.
	ReasonChannelCap
	// ReasonUploadLimitExceeded: YouTube said uploadLimitExceeded; the
	// channel stops for 24 hours.
	ReasonUploadLimitExceeded
	// ReasonUserRateLimited: the channel backs off after
	// userRateLimitExceeded.
	ReasonUserRateLimited
	// ReasonChannelBreaker: the channel's breaker is open after repeated
	// failures.
	ReasonChannelBreaker
	// ReasonBackoff: the upload waits before its retry after a retryable
	// error.
	ReasonBackoff
	// ReasonNotBefore: the upload was submitted with a later start time.
	ReasonNotBefore
)

var reasonNames = [...]string{"none", "queued", "quota-exhausted",
	"rate-limited", "project-breaker", "channel-cap",
	"upload-limit-exceeded", "user-rate-limited", "channel-breaker",
	"backoff", "not-before"}

// String names r in kebab case ("quota-exhausted").
func (r Reason) String() string {
	if r >= 0 && int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// Deferral is why one upload waits.
type Deferral struct {
	Upload  string
	Channel string
	Project string
	Reason  Reason
	// Until is when the reason ends by itself; zero when it ends only by
	// another event (an upload finishing, another going first).
	Until time.Time
	// Text says it in a sentence, with the figures behind it.
	Text string
}

// hold is a reason with its end time and text, kept on a project or a
// channel while it blocks.
type hold struct {
	reason Reason
	until  time.Time
	text   string
}

func (h *hold) active(now time.Time) bool {
	return h.reason != ReasonNone && now.Before(h.until)
}
