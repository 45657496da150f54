package report

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/targets"
)

// serve starts the dashboard over runsDir and returns its base URL.
func serve(t *testing.T, runsDir, baselinesDir string) string {
	t.Helper()
	srv := httptest.NewServer(NewServer(runsDir, baselinesDir, targets.Default(), nil).Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// get fetches url without following redirects.
func get(t *testing.T, method, url string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	require.NoError(t, err)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(body)
}

func TestServerRoutes(t *testing.T) {
	base := serve(t, fixtureRuns(t), writeBaselines(t))
	tests := []struct {
		path, ctype string
		status      int
		contains    []string
	}{
		{"/", "", http.StatusFound, nil},
		{"/scale-dashboard", "text/html", 200, []string{
			"Run 20261202T100000Z", `data-target="cluster" data-verdict="fail"`,
			"20261203T100000Z: run.json is missing", "Trends across runs",
			"Encode/1080p-2"}},
		{"/scale-dashboard/runs/20261203T100000Z", "text/html", 200, []string{
			"Problems with this run directory", "records.jsonl:2: unexpected EOF",
			"bench.txt:6: parsing iteration count"}},
		{"/scale-dashboard/runs/20261202T100000Z/files/records.jsonl", "text/plain", 200,
			[]string{`"name":"gpus-needed"`}},
		{"/scale-dashboard/runs/20261202T100000Z/files/run.json", "application/json", 200,
			[]string{`"id": "20261202T100000Z"`}},
		{"/scale-dashboard/runs/20261202T100000Z/files/secret", "", 404, nil},
		{"/scale-dashboard/runs/nope", "", 404, nil},
		{"/api/runs", "application/json", 200, []string{`"id": "20261201T100000Z"`,
			`"complete": false`, "run.json is missing"}},
		{"/api/runs/20261202T100000Z", "application/json", 200, []string{
			`"manifest": {`, `"verdict": "fail"`, `"files": [`}},
		{"/api/runs/20261203T100000Z", "application/json", 200, []string{
			`"manifest": null`, "records.jsonl:2: unexpected EOF"}},
		{"/api/runs/20261202T100000Z/records", "application/json", 200, []string{
			`"name": "encode-fps-1080p"`}},
		{"/api/runs/20261202T100000Z/scorecard", "application/json", 200, []string{
			`"id": "youtube"`}},
		{"/api/runs/20261202T100000Z/bench", "application/json", 200, []string{
			`"unit": "videos/s"`}},
		{"/api/runs/20261202T100000Z/other", "", 404, nil},
		{"/api/runs/nope", "", 404, nil},
		{"/api/scorecard/latest", "application/json", 200, []string{
			`"run": "20261202T100000Z"`, `"complete": true`}},
		{"/api/trends", "application/json", 200, []string{`"name": "rtf-standard-1080p"`}},
		{"/api/baselines", "application/json", 200, []string{
			`"against": "20261202T100000Z"`, `"change": "better"`}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, h, body := get(t, http.MethodGet, base+tt.path)
			require.Equal(t, tt.status, status, "GET %s: %s", tt.path, body)
			if tt.ctype != "" {
				assert.Contains(t, h.Get("Content-Type"), tt.ctype)
			}
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("GET %s: body (%d bytes) lacks %q", tt.path, len(body), want)
				}
			}
			if strings.HasPrefix(tt.path, "/api/") && status == 200 {
				assert.True(t, json.Valid([]byte(body)), "GET %s: not JSON", tt.path)
			}
		})
	}
}

func TestServerReadOnly(t *testing.T) {
	base := serve(t, fixtureRuns(t), "")
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		for _, p := range []string{"/scale-dashboard", "/api/runs", "/api/nowhere"} {
			status, h, _ := get(t, m, base+p)
			if status != http.StatusMethodNotAllowed {
				t.Errorf("%s %s = %d; want 405", m, p, status)
			}
			assert.Equal(t, "GET, HEAD", h.Get("Allow"))
		}
	}
	status, _, body := get(t, http.MethodHead, base+"/api/runs")
	assert.Equal(t, 200, status)
	assert.Empty(t, body)
}

// TestServerStaysInside tries to read a file beside the runs directory
// through every kind of path.
func TestServerStaysInside(t *testing.T) {
	parent := t.TempDir()
	runs := filepath.Join(parent, "runs")
	require.NoError(t, os.CopyFS(runs, os.DirFS(fixtureRuns(t))))
	const secret = "TOP-SECRET-CONTENT"
	require.NoError(t, os.WriteFile(filepath.Join(parent, "records.jsonl"),
		[]byte(secret), 0o644))
	outside := filepath.Join(parent, "outside")
	require.NoError(t, os.MkdirAll(outside, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(outside, "records.jsonl"),
		[]byte(secret), 0o644))
	// A run directory that is a link out, and a file that is a link out.
	require.NoError(t, os.Symlink(outside, filepath.Join(runs, "20261204T000000Z")))
	inRun := filepath.Join(runs, "20261201T100000Z")
	require.NoError(t, os.Remove(filepath.Join(inRun, "bench.txt")))
	require.NoError(t, os.Symlink(filepath.Join(parent, "records.jsonl"),
		filepath.Join(inRun, "bench.txt")))
	require.NoError(t, os.Symlink("../../records.jsonl", filepath.Join(inRun, "test.log")))
	base := serve(t, runs, "")

	paths := []string{
		"/api/runs/../records.jsonl",
		"/api/runs/%2e%2e/records",
		"/api/runs/%2E%2E/records",
		"/api/runs/..%2frecords.jsonl",
		"/api/runs/%2e%2e%2f%2e%2e%2frecords",
		"/scale-dashboard/runs/../../records.jsonl",
		"/scale-dashboard/runs/%2e%2e/files/records.jsonl",
		"/scale-dashboard/runs/..%2f/files/records.jsonl",
		"/scale-dashboard/runs/%2f" + strings.TrimPrefix(outside, "/") + "/files/records.jsonl",
		"/scale-dashboard/runs/20261204T000000Z/files/records.jsonl",
		"/api/runs/20261204T000000Z/records",
		"/scale-dashboard/runs/20261201T100000Z/files/bench.txt",
		"/scale-dashboard/runs/20261201T100000Z/files/test.log",
		"/scale-dashboard/runs/20261201T100000Z/files/..%2f..%2frecords.jsonl",
		"//" + strings.TrimPrefix(parent, "/") + "/records.jsonl",
	}
	for _, p := range paths {
		status, _, body := get(t, http.MethodGet, base+p)
		if strings.Contains(body, secret) {
			t.Errorf("GET %s = %d with the file outside the runs directory", p, status)
		}
		if status == 200 && !strings.HasPrefix(p, "/api/runs/..") {
			t.Logf("GET %s = 200 (content from inside)", p)
		}
	}
	// The run with links out still serves; the links are its problems.
	status, _, body := get(t, http.MethodGet, base+"/api/runs/20261201T100000Z")
	require.Equal(t, 200, status)
	assert.Contains(t, body, "bench.txt:")
	assert.NotContains(t, body, secret)
	_, _, list := get(t, http.MethodGet, base+"/api/runs")
	assert.NotContains(t, list, "20261204T000000Z", "a linked run directory is not listed")
}

func TestServerWithoutRuns(t *testing.T) {
	base := serve(t, filepath.Join(t.TempDir(), "absent"), filepath.Join(t.TempDir(), "none"))
	status, _, body := get(t, http.MethodGet, base+"/scale-dashboard")
	require.Equal(t, 200, status)
	assert.Contains(t, body, "No runs yet in")
	status, _, body = get(t, http.MethodGet, base+"/api/runs")
	assert.Equal(t, 200, status)
	assert.JSONEq(t, "[]", body)
	status, _, _ = get(t, http.MethodGet, base+"/api/scorecard/latest")
	assert.Equal(t, 404, status)
	status, _, _ = get(t, http.MethodGet, base+"/api/baselines")
	assert.Equal(t, 200, status)
}
