package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/targets"
)

func TestPlan(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := dispatch(t.Context(), []string{"plan", "-config", "testdata/fixture/scale.yaml"},
		&stdout, &stderr)
	// The default architecture declares A100s to encode: they have no
	// NVENC, so the modeled cluster fails.
	require.Equal(t, exitTargetFailed, code, stderr.String())
	out := stdout.String()
	d := targets.Default().Derive()
	assert.Contains(t, out, "testdata/fixture/scale.yaml")
	assert.Regexp(t, `videos per day\s+3\.333e\+05 videos/day`, out)
	assert.Contains(t, out, "Capacity (scalability)")
	assert.Contains(t, out, "gpu-fleet NVENC")
	assert.Regexp(t, `cluster\s+FAIL\s+1,000\+ GPUs`, out)
	assert.Contains(t, out, "cluster/gpu-fleet-nvenc/required")
	assert.Contains(t, out, "Cost of the declared architecture (costanalysis)")
	assert.Regexp(t, `cost\s+(PASS|FAIL)\s+<= \$0\.10 per video`, out)

	stdout.Reset()
	code = dispatch(t.Context(), []string{"plan", "-json", "-config",
		"testdata/fixture/scale.yaml"}, &stdout, &stderr)
	require.Equal(t, exitTargetFailed, code)
	var plan struct {
		Figures  []planFigure `json:"figures"`
		Verdicts []struct {
			ID      string `json:"id"`
			Verdict string `json:"verdict"`
		} `json:"verdicts"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &plan))
	require.NotEmpty(t, plan.Figures)
	assert.Equal(t, "videos per day", plan.Figures[0].Name)
	assert.InDelta(t, d.VideosPerDay, plan.Figures[0].Value, 1e-6)
	var ids []string
	for _, v := range plan.Verdicts {
		ids = append(ids, v.ID)
	}
	assert.Equal(t, []string{"cluster", "storage", "network", "cost"}, ids)
}

func TestPlanRejectsBadConfig(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "scale.yaml")
	yaml := "version: 1\ntargets:\n  speed:\n    max_rft: 2\n"
	require.NoError(t, os.WriteFile(bad, []byte(yaml), 0o644))
	var stdout, stderr bytes.Buffer
	code := dispatch(t.Context(), []string{"plan", "-config", bad}, &stdout, &stderr)
	assert.Equal(t, exitBroken, code)
	assert.Contains(t, stderr.String(), "targets.speed.max_rft")
}

// TestServe starts scaletest serve on a free loopback port, reads the
// API and stops it with its context.
func TestServe(t *testing.T) {
	runs := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- dispatch(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-runs", runs,
			"-config", "testdata/fixture/scale.yaml"}, pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	go io.Copy(io.Discard, pr)
	require.Contains(t, line, "/scale-dashboard")
	url := strings.Fields(line)[2]
	base := strings.TrimSuffix(url, "/scale-dashboard")

	resp, err := http.Get(base + "/api/runs")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.JSONEq(t, "[]", string(body))
	resp, err = http.Post(base+"/api/runs", "text/plain", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
}
