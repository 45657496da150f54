package youtubeapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"google.golang.org/api/googleapi"
)

// Reason is the machine-readable reason of a YouTube API error, as in
// error.errors[].reason of the response body.
type Reason string

// Reasons the suite branches on (FACTS.md, YouTube section).
const (
	// ReasonQuotaExceeded (403, domain youtube.quota): the project's
	// bucket is spent; nothing helps until the Pacific midnight reset.
	ReasonQuotaExceeded Reason = "quotaExceeded"
	// ReasonDailyLimitExceeded (403, domain usageLimits): as quotaExceeded.
	ReasonDailyLimitExceeded Reason = "dailyLimitExceeded"
	// ReasonRateLimitExceeded (403 or 429, domain usageLimits): the
	// project sends too fast; back off with jitter and retry.
	ReasonRateLimitExceeded Reason = "rateLimitExceeded"
	// ReasonUserRateLimitExceeded (403 or 429, domain usageLimits): the
	// user (channel) sends too fast; back off with jitter and retry.
	ReasonUserRateLimitExceeded Reason = "userRateLimitExceeded"
	// ReasonUploadLimitExceeded (400, domain youtube.video): the channel
	// reached its rolling 24-hour upload cap; stop that channel for 24 h.
	ReasonUploadLimitExceeded Reason = "uploadLimitExceeded"
	// ReasonBackendError (500 or 503, domain global): retry with backoff.
	ReasonBackendError Reason = "backendError"
	// ReasonAuthError (401, domain global): credentials missing or wrong.
	ReasonAuthError Reason = "authError"
	// ReasonBadRequest (400, domain global): the request is malformed.
	ReasonBadRequest Reason = "badRequest"
	// ReasonForbidden (403, domain global): not allowed for this user.
	ReasonForbidden Reason = "forbidden"
	// ReasonVideoNotFound (404, domain youtube.video).
	ReasonVideoNotFound Reason = "videoNotFound"
	// ReasonNotFound (404, domain global): an unknown resource or an
	// expired upload session.
	ReasonNotFound Reason = "notFound"
)

// Domain returns the error domain YouTube reports with reason r.
func (r Reason) Domain() string {
	switch r {
	case ReasonQuotaExceeded:
		return "youtube.quota"
	case ReasonDailyLimitExceeded, ReasonRateLimitExceeded,
		ReasonUserRateLimitExceeded:
		return "usageLimits"
	case ReasonUploadLimitExceeded, ReasonVideoNotFound:
		return "youtube.video"
	}
	return "global"
}

// Class is what a caller should do after a call ended.
type Class int

// Classes, from FACTS.md. Only ClassRetry is retried by backing off.
const (
	// ClassOK: the call succeeded.
	ClassOK Class = iota
	// ClassRetry: rateLimitExceeded, userRateLimitExceeded, backendError,
	// other 5xx, 429, 408 and transport failures; retry after an
	// exponential backoff with jitter.
	ClassRetry
	// ClassQuota: quotaExceeded or dailyLimitExceeded; the bucket is
	// spent until the next midnight America/Los_Angeles. Never retried
	// sooner and never sent to another project of the same client.
	ClassQuota
	// ClassChannelCap: uploadLimitExceeded; the channel stops for 24 h,
	// the other channels go on.
	ClassChannelCap
	// ClassPermanent: any other 4xx; retrying cannot help.
	ClassPermanent
	// ClassCanceled: the caller gave up (context canceled or past its
	// deadline); the call may or may not have reached the server.
	ClassCanceled
)

var classNames = [...]string{"ok", "retry", "quota", "channel-cap",
	"permanent", "canceled"}

// String names c.
func (c Class) String() string {
	if c >= 0 && int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// Outcome is how one API call ended, reduced to what quota accounting and
// scheduling need. The zero Outcome is a transport failure: no response.
type Outcome struct {
	// Status is the HTTP status code, or 0 when no response arrived
	// (connection refused or reset, timeout, cancellation).
	Status int
	// Reason is error.errors[0].reason of an error response, if any.
	Reason Reason
	// Canceled is true when the caller's context ended the call.
	Canceled bool
}

// Success is the Outcome of a call that returned 200.
var Success = Outcome{Status: http.StatusOK}

// Class returns what the caller should do after o.
func (o Outcome) Class() Class {
	return Classify(o.Status, o.Reason, o.Canceled)
}

// Sent reports whether the server certainly answered the call, so that
// quota accounting may charge by the answer rather than conservatively.
func (o Outcome) Sent() bool { return o.Status != 0 }

// String formats o for deferral texts and logs: "403 quotaExceeded".
func (o Outcome) String() string {
	switch {
	case o.Canceled:
		return "canceled"
	case o.Status == 0:
		return "no response"
	case o.Reason == "":
		return fmt.Sprintf("%d", o.Status)
	}
	return fmt.Sprintf("%d %s", o.Status, o.Reason)
}

// Classify maps an HTTP status and error reason to a Class. Status 0 is a
// transport failure (retryable) unless canceled.
func Classify(status int, reason Reason, canceled bool) Class {
	switch {
	case canceled:
		return ClassCanceled
	case status >= 200 && status < 300:
		return ClassOK
	}
	switch reason {
	case ReasonQuotaExceeded, ReasonDailyLimitExceeded:
		return ClassQuota
	case ReasonUploadLimitExceeded:
		return ClassChannelCap
	case ReasonRateLimitExceeded, ReasonUserRateLimitExceeded,
		ReasonBackendError:
		return ClassRetry
	}
	switch {
	case status == 0, status >= 500, status == http.StatusTooManyRequests,
		status == http.StatusRequestTimeout:
		return ClassRetry
	}
	return ClassPermanent
}

// OutcomeOf reduces the error of a call to an Outcome: a *googleapi.Error
// anywhere in err's chain gives its code and first reason; a canceled or
// expired context gives Canceled; any other error is a transport failure
// (Status 0). A nil err is Success.
func OutcomeOf(err error) Outcome {
	if err == nil {
		return Success
	}
	var gerr *googleapi.Error
	if errors.As(err, &gerr) {
		o := Outcome{Status: gerr.Code}
		if len(gerr.Errors) > 0 {
			o.Reason = Reason(gerr.Errors[0].Reason)
		}
		return o
	}
	if errors.Is(err, context.Canceled) ||
		errors.Is(err, context.DeadlineExceeded) {
		return Outcome{Canceled: true}
	}
	return Outcome{}
}
