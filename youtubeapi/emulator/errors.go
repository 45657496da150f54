package emulator

import (
	"encoding/json"
	"net/http"

	"github.com/scaletest/scaletest/youtubeapi"
)

// apiError is an error answer in Google's format.
type apiError struct {
	status  int
	reason  youtubeapi.Reason
	message string
}

func (e *apiError) outcome() youtubeapi.Outcome {
	return youtubeapi.Outcome{Status: e.status, Reason: e.reason}
}

func errf(status int, reason youtubeapi.Reason, msg string) *apiError {
	return &apiError{status: status, reason: reason, message: msg}
}

// The errors the emulator answers, with YouTube's wording where known.
var (
	errAuth = errf(http.StatusUnauthorized, youtubeapi.ReasonAuthError,
		"Request is missing required authentication credential. "+
			"Expected OAuth 2 access token.")
	errQuota = errf(http.StatusForbidden, youtubeapi.ReasonQuotaExceeded,
		"The request cannot be completed because you have exceeded your "+
			"quota.")
	errRate = errf(http.StatusForbidden, youtubeapi.ReasonRateLimitExceeded,
		"The request cannot be completed because you have exceeded the "+
			"rate limit.")
	errBackend = errf(http.StatusServiceUnavailable,
		youtubeapi.ReasonBackendError, "Backend Error")
	errUploadLimit = errf(http.StatusBadRequest,
		youtubeapi.ReasonUploadLimitExceeded,
		"The user has exceeded the number of videos they may upload.")
	errSession = errf(http.StatusNotFound, youtubeapi.ReasonNotFound,
		"The upload session does not exist or has expired.")
	errNoVideo = errf(http.StatusNotFound, youtubeapi.ReasonVideoNotFound,
		"The video that you are trying to use cannot be found.")
	errNotOwner = errf(http.StatusForbidden, youtubeapi.ReasonForbidden,
		"The video does not belong to the authorized channel.")
	errNotFound = errf(http.StatusNotFound, youtubeapi.ReasonNotFound,
		"Not Found")
)

func badRequest(msg string) *apiError {
	return errf(http.StatusBadRequest, youtubeapi.ReasonBadRequest, msg)
}

// grpcStatus is the "status" field Google sets for each HTTP code.
func grpcStatus(code int) string {
	switch code {
	case 400:
		return "INVALID_ARGUMENT"
	case 401:
		return "UNAUTHENTICATED"
	case 403:
		return "PERMISSION_DENIED"
	case 404:
		return "NOT_FOUND"
	case 429:
		return "RESOURCE_EXHAUSTED"
	case 503:
		return "UNAVAILABLE"
	}
	return "INTERNAL"
}

type errorItem struct {
	Message string `json:"message"`
	Domain  string `json:"domain"`
	Reason  string `json:"reason"`
}

type errorBody struct {
	Error struct {
		Code    int         `json:"code"`
		Message string      `json:"message"`
		Errors  []errorItem `json:"errors"`
		Status  string      `json:"status"`
	} `json:"error"`
}

func writeError(w http.ResponseWriter, e *apiError) {
	var b errorBody
	b.Error.Code = e.status
	b.Error.Message = e.message
	b.Error.Status = grpcStatus(e.status)
	b.Error.Errors = []errorItem{{Message: e.message,
		Domain: e.reason.Domain(), Reason: string(e.reason)}}
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="emulator"`)
	}
	writeJSON(w, e.status, b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone; nothing to do
}
