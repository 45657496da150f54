package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServes(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var log strings.Builder
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0",
			"-faults", `{"latency":"1ms"}`}, &log, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run = %v before listening; log: %s", err, &log)
	case <-time.After(30 * time.Second):
		t.Fatal("not listening after 30 s")
	}

	req, err := http.NewRequestWithContext(t.Context(), "GET", "http://"+addr+
		"/youtube/v3/channels?part=snippet&mine=true", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer dailydoco-main")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "%s", body)
	assert.Contains(t, string(body), `"id":"dailydoco-main"`)

	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, log.String(), "listening")
}
