package upload

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"google.golang.org/api/option"
	"google.golang.org/api/youtube/v3"
)

// NewService returns the official Go client of the YouTube Data API v3
// aimed at endpoint ("http://127.0.0.1:8090"), sending its requests
// through hc, which must carry the credentials (see Bearer). Uploads go
// to endpoint/upload/..., the rest to endpoint/youtube/v3/...
func NewService(ctx context.Context, endpoint string, hc *http.Client) (
	*youtube.Service, error) {
	svc, err := youtube.NewService(ctx,
		option.WithEndpoint(strings.TrimSuffix(endpoint, "/")+"/"),
		option.WithHTTPClient(hc))
	if err != nil {
		return nil, fmt.Errorf("youtube service at %s: %w", endpoint, err)
	}
	return svc, nil
}

// Bearer returns an HTTP client that sends token as an OAuth 2 bearer
// token on every request, over base (nil is http.DefaultTransport).
func Bearer(token string, base http.RoundTripper) *http.Client {
	if base == nil {
		base = http.DefaultTransport
	}
	return &http.Client{Transport: bearer{token: token, base: base}}
}

type bearer struct {
	token string
	base  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}
