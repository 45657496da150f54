package upload

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKilledUploaderResumes kills an uploading child process with
// SIGKILL and finishes its upload from the session file it left, from
// where the server stopped.
func TestKilledUploaderResumes(t *testing.T) {
	srv, url := newEmulator(t)
	// A slow link keeps the child busy long enough to be killed mid-way.
	addr := shapedLink(t, strings.TrimPrefix(url, "http://"), 1000, 0)
	size := 3 << 20
	dir := t.TempDir()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1",
		"YTUPLOAD_ENDPOINT=http://"+addr, "YTUPLOAD_DIR="+dir,
		fmt.Sprintf("YTUPLOAD_SIZE=%d", size))
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	// Kill it once the server holds a megabyte, mid-chunk most likely.
	var before int64
	require.Eventually(t, func() bool {
		for _, s := range srv.Sessions() {
			before = s.Committed
		}
		return before >= 1<<20
	}, 30*time.Second, 5*time.Millisecond, "child stderr: %s", &stderr)
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()

	u := &Uploader{HTTP: http.DefaultClient, Endpoint: url,
		ChunkSize: Granule, Sessions: FileStore{Dir: dir}}
	data := testMedia(size)
	res, err := u.Upload(t.Context(), request("killed", data))
	require.NoError(t, err)
	checkStored(t, srv, res, data)

	st := res.Stats
	assert.Equal(t, 0, st.Sessions, "resumed the child's session")
	assert.GreaterOrEqual(t, st.ResumedFrom, before,
		"resumed where the server stopped")
	assert.Equal(t, int64(size)-st.ResumedFrom, st.BytesSent,
		"sent only what the server lacked")
	t.Logf("child killed with %d bytes stored; resumed at %d, sent %d",
		before, st.ResumedFrom, st.BytesSent)
}
