package upload

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/youtubeapi"
	"github.com/scaletest/scaletest/youtubeapi/emulator"
)

func TestUploadInChunks(t *testing.T) {
	srv, url := newEmulator(t)
	data := testMedia(4*Granule + 123)
	u := &Uploader{HTTP: Bearer("ch", nil), Endpoint: url, ChunkSize: Granule}
	res, err := u.Upload(t.Context(), request("k", data))
	require.NoError(t, err)
	checkStored(t, srv, res, data)
	assert.Equal(t, Stats{Sessions: 1, ResumedFrom: -1, Chunks: 5,
		BytesSent: int64(len(data)), Elapsed: res.Stats.Elapsed}, res.Stats)
}

func TestUploadErrorsAreGoogleErrors(t *testing.T) {
	srv, url := newEmulator(t)
	require.NoError(t, srv.SetFaults(emulator.Faults{
		Exhaust: []string{"p/uploads"}}))
	u := &Uploader{HTTP: Bearer("ch", nil), Endpoint: url}
	_, err := u.Upload(t.Context(), request("k", testMedia(10)))
	o := youtubeapi.OutcomeOf(err)
	assert.Equal(t, youtubeapi.Outcome{Status: 403,
		Reason: youtubeapi.ReasonQuotaExceeded}, o, "error %v", err)

	_, err = (&Uploader{HTTP: Bearer("nobody", nil), Endpoint: url}).Upload(
		t.Context(), request("k", testMedia(10)))
	assert.Equal(t, 401, youtubeapi.OutcomeOf(err).Status, "error %v", err)
}

// cancelAfter returns a client of channel "ch" that cancels the upload's
// context once n chunk requests have been answered, as a process that is
// stopped mid-upload.
func cancelAfter(n int32, cancel context.CancelFunc) *http.Client {
	var seen atomic.Int32
	auth := Bearer("ch", nil).Transport
	return &http.Client{Transport: roundTrip(func(r *http.Request) (
		*http.Response, error) {
		resp, err := auth.RoundTrip(r)
		if r.Method == http.MethodPut && r.ContentLength > 0 &&
			seen.Add(1) == n {
			cancel()
		}
		return resp, err
	})}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) {
	return f(r)
}

// TestResumeWithNewUploader: an upload stopped after two chunks, its
// session in a file, is finished by a new Uploader from the server's
// offset without a new session.
func TestResumeWithNewUploader(t *testing.T) {
	srv, url := newEmulator(t)
	data := testMedia(5 * Granule)
	store := FileStore{Dir: t.TempDir()}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	first := &Uploader{HTTP: cancelAfter(2, cancel), Endpoint: url,
		ChunkSize: Granule, Sessions: store}
	_, err := first.Upload(ctx, request("video-1", data))
	require.ErrorIs(t, err, context.Canceled)
	_, ok, err := store.Load("video-1")
	require.NoError(t, err)
	require.True(t, ok, "the session must stay stored")

	second := &Uploader{HTTP: http.DefaultClient, Endpoint: url,
		ChunkSize: Granule, Sessions: store}
	res, err := second.Upload(t.Context(), request("video-1", data))
	require.NoError(t, err)
	checkStored(t, srv, res, data)
	assert.Equal(t, int64(2*Granule), res.Stats.ResumedFrom)
	assert.Equal(t, int64(3*Granule), res.Stats.BytesSent,
		"only what the server lacked is sent")
	assert.Equal(t, 0, res.Stats.Sessions, "no new videos.insert call")
	assert.Len(t, srv.Sessions(), 1)
	_, ok, _ = store.Load("video-1")
	assert.False(t, ok, "a finished upload forgets its session")
}

// TestFreshSessionAfter404: a stored session that expired is replaced.
func TestFreshSessionAfter404(t *testing.T) {
	srv, url := newEmulator(t)
	data := testMedia(3 * Granule)
	store := &MemStore{}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	first := &Uploader{HTTP: cancelAfter(1, cancel), Endpoint: url,
		ChunkSize: Granule, Sessions: store}
	_, err := first.Upload(ctx, request("k", data))
	require.ErrorIs(t, err, context.Canceled)
	for _, s := range srv.Sessions() {
		require.True(t, srv.ExpireSession(s.ID))
	}

	u := &Uploader{HTTP: Bearer("ch", nil), Endpoint: url,
		ChunkSize: Granule, Sessions: store}
	res, err := u.Upload(t.Context(), request("k", data))
	require.NoError(t, err)
	checkStored(t, srv, res, data)
	assert.Equal(t, 1, res.Stats.Sessions, "one fresh session")
	assert.Equal(t, int64(-1), res.Stats.ResumedFrom)
	assert.Len(t, srv.Sessions(), 2)
}

// TestChunkFailuresResumeFromServer: 5xx answers to chunks the server
// stored are followed by a status check, so nothing is sent twice.
func TestChunkFailuresResumeFromServer(t *testing.T) {
	srv, url := newEmulator(t)
	data := testMedia(8 * Granule)
	u := &Uploader{HTTP: Bearer("ch", nil), Endpoint: url,
		ChunkSize: Granule, Retry: Retry{Initial: 1, Max: 1, Attempts: 20,
			Sessions: 1}}
	// Open the session healthy, then fail half of the chunks.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var once atomic.Bool
	u.HTTP = &http.Client{Transport: roundTrip(func(r *http.Request) (
		*http.Response, error) {
		r.Header.Set("Authorization", "Bearer ch")
		resp, err := http.DefaultTransport.RoundTrip(r)
		if r.Method == http.MethodPost && once.CompareAndSwap(false, true) {
			_ = srv.SetFaults(emulator.Faults{ServerErrorRate: 0.5})
		}
		return resp, err
	})}
	res, err := u.Upload(ctx, request("k", data))
	require.NoError(t, err)
	checkStored(t, srv, res, data)
	assert.Positive(t, res.Stats.Resumes, "some chunks must have failed")
	assert.Equal(t, int64(len(data)), res.Stats.BytesSent)
}

func TestBadChunkSize(t *testing.T) {
	u := &Uploader{HTTP: http.DefaultClient, Endpoint: "http://x",
		ChunkSize: Granule + 1}
	_, err := u.Upload(t.Context(), request("k", testMedia(10)))
	assert.True(t, errors.Is(err, ErrChunkSize), "error %v", err)
}

// TestStalledChunkTimesOut: a chunk the server never answers is given up
// after ChunkTimeout and the upload goes on from the server's offset.
func TestStalledChunkTimesOut(t *testing.T) {
	srv, _ := newEmulator(t)
	var stalled atomic.Bool
	release := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		if r.Method == http.MethodPut && r.ContentLength > 0 &&
			stalled.CompareAndSwap(false, true) {
			select { // never answers while the test runs
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	t.Cleanup(func() { close(release) }) // runs first: lets Close return
	data := testMedia(3 * Granule)
	u := &Uploader{HTTP: Bearer("ch", nil), Endpoint: hs.URL,
		ChunkSize: Granule, ChunkTimeout: 200 * time.Millisecond,
		Retry: Retry{Initial: time.Millisecond, Max: time.Millisecond,
			Attempts: 5, Sessions: 1}}
	res, err := u.Upload(t.Context(), request("k", data))
	require.NoError(t, err)
	checkStored(t, srv, res, data)
	assert.Equal(t, 1, res.Stats.Resumes)
}
