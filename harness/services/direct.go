package services

import (
	"fmt"
	"net/url"
)

// Direct rewrites rawURL, a URL of this service (URL, or one Database
// returned), to reach the server itself rather than the proxy that keeps
// Addr stable across restarts. The proxy runs inside the test process, so
// a throughput benchmark that compares a Go client with a separate tool
// (pgbench, redis-benchmark) takes it out of the path: otherwise it would
// share the client's CPU and not the tool's. The result holds until the
// server is killed or restarted. For the env provider it is rawURL.
func (s *Service) Direct(rawURL string) (string, error) {
	if s.proxy == nil {
		return rawURL, nil
	}
	s.proxy.mu.Lock()
	upstream := s.proxy.upstream
	s.proxy.mu.Unlock()
	if upstream == "" {
		return "", fmt.Errorf("direct url of %s: the server is down", s)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("direct url of %s: %w", s, err)
	}
	u.Host = upstream
	return u.String(), nil
}
