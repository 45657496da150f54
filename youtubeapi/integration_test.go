package youtubeapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/youtube/v3"

	"github.com/scaletest/scaletest/youtubeapi"
	"github.com/scaletest/scaletest/youtubeapi/emulator"
	"github.com/scaletest/scaletest/youtubeapi/quota"
	"github.com/scaletest/scaletest/youtubeapi/scheduler"
	"github.com/scaletest/scaletest/youtubeapi/upload"
)

// clock is a settable virtual clock shared by emulator and scheduler.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// t0 is 11:00 in Los Angeles.
var t0 = time.Date(2026, 7, 1, 18, 0, 0, 0, time.UTC)

type world struct {
	emu   *emulator.Server
	url   string
	clock *clock
	model *quota.Model
}

// newWorld serves an emulator with project p (uploads bucket of
// uploadCalls) and channels a and b with true caps capA and capB.
func newWorld(t *testing.T, uploadCalls quota.Units, capA, capB int) *world {
	t.Helper()
	m, err := quota.Lookup("2026-06-01")
	require.NoError(t, err)
	clk := &clock{t: t0}
	emu, err := emulator.New(emulator.Config{Model: m, Now: clk.Now,
		Seed: 5, Projects: []emulator.Project{{ID: "p",
			Limits: map[quota.Bucket]quota.Units{quota.Uploads: uploadCalls},
			Channels: []emulator.Channel{{ID: "a", UploadsPerDay: capA},
				{ID: "b", UploadsPerDay: capB}}}}})
	require.NoError(t, err)
	hs := httptest.NewServer(emu)
	t.Cleanup(hs.Close)
	return &world{emu: emu, url: hs.URL, clock: clk, model: m}
}

func (w *world) service(t *testing.T, token string,
	base http.RoundTripper) *youtube.Service {
	t.Helper()
	svc, err := upload.NewService(t.Context(), w.url,
		upload.Bearer(token, base))
	require.NoError(t, err)
	return svc
}

func media(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31 + i>>10)
	}
	return b
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func insert(t *testing.T, svc *youtube.Service, data []byte,
	chunk int) (*youtube.Video, error) {
	t.Helper()
	v := &youtube.Video{Snippet: &youtube.VideoSnippet{Title: "doc"},
		Status: &youtube.VideoStatus{PrivacyStatus: "unlisted"}}
	return svc.Videos.Insert([]string{"snippet", "status"}, v).
		Media(bytes.NewReader(data), googleapi.ChunkSize(chunk)).
		Context(t.Context()).Do()
}

func (w *world) stored(t *testing.T, id string) emulator.VideoInfo {
	t.Helper()
	for _, v := range w.emu.Videos() {
		if v.ID == id {
			return v
		}
	}
	t.Fatalf("video %s not on the emulator", id)
	return emulator.VideoInfo{}
}

// TestOfficialClientUploads: the official Go client uploads through the
// emulator in its three ways (resumable chunks, resumable ending on a
// chunk boundary, multipart), also while chunks fail with 503 and are
// re-sent.
func TestOfficialClientUploads(t *testing.T) {
	const chunk = 256 << 10
	tests := []struct {
		name      string
		size      int
		chunkFail float64
	}{
		{"resumable", 4*chunk + 777, 0},
		{"resumable on chunk boundary", 4 * chunk, 0},
		{"multipart", chunk / 2, 0},
		{"chunks failing", 8 * chunk, 0.3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 100, 0, 0)
			// Faults begin once the session is open: the client retries
			// failed chunks, not the insert call.
			var opened atomic.Bool
			base := roundTrip(func(r *http.Request) (*http.Response, error) {
				resp, err := http.DefaultTransport.RoundTrip(r)
				if r.Method == http.MethodPost && opened.CompareAndSwap(false,
					true) {
					require.NoError(t, w.emu.SetFaults(emulator.Faults{
						ServerErrorRate: tt.chunkFail}))
				}
				return resp, err
			})
			data := media(tt.size)
			v, err := insert(t, w.service(t, "a", base), data, chunk)
			require.NoError(t, err)
			got := w.stored(t, v.Id)
			assert.Equal(t, digest(data), got.SHA256)
			assert.Equal(t, "private", v.Status.PrivacyStatus,
				"unaudited projects publish private")
			if tt.chunkFail > 0 {
				var repeated int64
				for _, s := range w.emu.Sessions() {
					repeated += s.BytesRepeated
				}
				assert.Positive(t, repeated, "the client re-sent chunks")
			}
		})
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) {
	return f(r)
}

// TestOfficialClientCalls covers the other methods an uploader uses.
func TestOfficialClientCalls(t *testing.T) {
	w := newWorld(t, 100, 0, 0)
	svc := w.service(t, "a", nil)
	v, err := insert(t, svc, media(1000), 1<<20)
	require.NoError(t, err)

	list, err := svc.Videos.List([]string{"snippet"}).Id(v.Id).Do()
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	assert.Equal(t, "doc", list.Items[0].Snippet.Title)

	v.Snippet.Title = "renamed"
	up, err := svc.Videos.Update([]string{"snippet"}, v).Do()
	require.NoError(t, err)
	assert.Equal(t, "renamed", up.Snippet.Title)

	th, err := svc.Thumbnails.Set(v.Id).Media(bytes.NewReader(media(3000))).Do()
	require.NoError(t, err)
	require.Len(t, th.Items, 1)

	_, err = svc.PlaylistItems.Insert([]string{"snippet"},
		&youtube.PlaylistItem{Snippet: &youtube.PlaylistItemSnippet{
			PlaylistId: "PLdocs", ResourceId: &youtube.ResourceId{
				Kind: "youtube#video", VideoId: v.Id}}}).Do()
	require.NoError(t, err)

	ch, err := svc.Channels.List([]string{"snippet", "status"}).Mine(true).Do()
	require.NoError(t, err)
	require.Len(t, ch.Items, 1)
	assert.Equal(t, "a", ch.Items[0].Id)

	info := w.stored(t, v.Id)
	assert.Equal(t, int64(3000), info.ThumbnailBytes)
	assert.Equal(t, []string{"PLdocs"}, info.Playlists)

	usage, _ := w.emu.Usage("p")
	spent := map[quota.Bucket]quota.Units{}
	for _, u := range usage {
		spent[u.Bucket] = u.Spent
	}
	// list 1 + update 50 + thumbnail 50 + playlist 50 + channels 1
	assert.Equal(t, quota.Units(152), spent[quota.General])
	assert.Equal(t, quota.Units(1), spent[quota.Uploads])
}

// TestErrorsReachClientAndScheduler: quotaExceeded, uploadLimitExceeded
// and rateLimitExceeded reach the official client as *googleapi.Error
// with their reasons, and the scheduler reacts to each as FACTS.md says.
func TestErrorsReachClientAndScheduler(t *testing.T) {
	reset := time.Date(2026, 7, 2, 7, 0, 0, 0, time.UTC) // 00:00 PDT
	tests := []struct {
		name    string
		faults  emulator.Faults
		before  int // successful inserts on channel a first
		code    int
		reason  string
		react   scheduler.Reason
		until   func(time.Time) bool
		otherOK bool // channel b may go on
	}{
		{"quotaExceeded", emulator.Faults{Exhaust: []string{"p/uploads"}}, 0,
			403, "quotaExceeded", scheduler.ReasonQuotaExhausted,
			func(u time.Time) bool { return u.Equal(reset) }, false},
		{"uploadLimitExceeded", emulator.Faults{ChannelCap: 2}, 2, 400,
			"uploadLimitExceeded", scheduler.ReasonUploadLimitExceeded,
			func(u time.Time) bool { return u.Equal(t0.Add(24 * time.Hour)) },
			true},
		{"rateLimitExceeded", emulator.Faults{RateLimitRate: 1}, 0, 403,
			"rateLimitExceeded", scheduler.ReasonRateLimited,
			func(u time.Time) bool {
				return u.After(t0) && !u.After(t0.Add(time.Second))
			}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 100, 0, 0)
			svc := w.service(t, "a", nil)
			for range tt.before {
				_, err := insert(t, svc, media(100), 1<<20)
				require.NoError(t, err)
			}
			require.NoError(t, w.emu.SetFaults(tt.faults))
			_, clientErr := insert(t, svc, media(100), 1<<20)

			var gerr *googleapi.Error
			require.True(t, errors.As(clientErr, &gerr), "error %T %v",
				clientErr, clientErr)
			assert.Equal(t, tt.code, gerr.Code)
			require.NotEmpty(t, gerr.Errors)
			assert.Equal(t, tt.reason, gerr.Errors[0].Reason)

			s := newScheduler(t, w)
			require.NoError(t, s.Submit(scheduler.Upload{ID: "u",
				Channel: "a", Priority: 1}, t0))
			require.NoError(t, s.Submit(scheduler.Upload{ID: "w",
				Channel: "b"}, t0))
			d, ok, err := s.Next(t.Context(), t0)
			require.NoError(t, err)
			require.True(t, ok)
			require.Equal(t, "u", d.Upload.ID)
			disp, err := s.Report(t.Context(), "u",
				youtubeapi.OutcomeOf(clientErr), t0)
			require.NoError(t, err)
			assert.Equal(t, scheduler.Requeued, disp.Action)
			assert.Equal(t, tt.react, disp.Reason, disp.Text)
			assert.True(t, tt.until(disp.Until), "until %s", disp.Until)

			d, ok, err = s.Next(t.Context(), t0)
			require.NoError(t, err)
			assert.Equal(t, tt.otherOK, ok && d.Upload.ID == "w",
				"whether channel b goes on")
		})
	}
}

func newScheduler(t *testing.T, w *world) *scheduler.Scheduler {
	t.Helper()
	l, err := quota.NewLedger(quota.NewMemStore(), w.model,
		quota.Project{ID: "p", Limits: map[quota.Bucket]quota.Units{
			quota.Uploads: 100}})
	require.NoError(t, err)
	cfg := scheduler.DefaultConfig(scheduler.Project{ID: "p", Quota: l,
		Channels: []scheduler.Channel{{ID: "a", UploadsPerDay: 10},
			{ID: "b", UploadsPerDay: 10}}})
	s, err := scheduler.New(cfg)
	require.NoError(t, err)
	return s
}

// TestSchedulerDrivesUploads runs the live loop on a virtual clock: the
// scheduler picks, the uploader uploads to the emulator, the outcome goes
// back. The channels' true caps (3 and 2) are below the configured 5, so
// the scheduler learns them from uploadLimitExceeded; the upload bucket
// (6 calls) runs out; everything is published over the following days
// and no call is refused for quota by the server.
func TestSchedulerDrivesUploads(t *testing.T) {
	w := newWorld(t, 6, 3, 2)
	l, err := quota.NewLedger(quota.NewMemStore(), w.model,
		quota.Project{ID: "p", Limits: map[quota.Bucket]quota.Units{
			quota.Uploads: 6}})
	require.NoError(t, err)
	s, err := scheduler.New(scheduler.DefaultConfig(scheduler.Project{
		ID: "p", Quota: l, Channels: []scheduler.Channel{
			{ID: "a", UploadsPerDay: 5}, {ID: "b", UploadsPerDay: 5}}}))
	require.NoError(t, err)

	const n = 14
	for i := range n {
		require.NoError(t, s.Submit(scheduler.Upload{
			ID: fmt.Sprintf("v%02d", i), Channel: []string{"a", "b"}[i%2]},
			t0))
	}
	ups := map[string]*upload.Uploader{}
	for _, ch := range []string{"a", "b"} {
		ups[ch] = &upload.Uploader{HTTP: upload.Bearer(ch, nil),
			Endpoint: w.url, ChunkSize: upload.Granule}
	}
	now, quotaRefusals := t0, 0
	for steps := 0; s.Waiting()+s.Running() > 0; steps++ {
		require.Less(t, steps, 200, "the loop must finish")
		d, ok, err := s.Next(t.Context(), now)
		require.NoError(t, err)
		if !ok {
			wake, ok := s.WakeAt(now)
			require.True(t, ok, "waiting uploads need a wake time: %+v",
				s.Deferrals(now))
			now = wake
			w.clock.Set(now)
			continue
		}
		_, err = ups[d.Upload.Channel].Upload(t.Context(), upload.Request{
			Key: d.Upload.ID, Media: bytes.NewReader(media(1000)), Size: 1000,
			Video: &youtube.Video{Snippet: &youtube.VideoSnippet{
				Title: d.Upload.ID}}})
		o := youtubeapi.OutcomeOf(err)
		if o.Reason == youtubeapi.ReasonQuotaExceeded {
			quotaRefusals++
		}
		_, err = s.Report(t.Context(), d.Upload.ID, o, now)
		require.NoError(t, err)
	}
	st := s.Stats()
	assert.Equal(t, n, st.Done)
	assert.Equal(t, n, len(w.emu.Videos()))
	assert.Zero(t, quotaRefusals, "the ledger must refuse before the server")
	assert.Positive(t, st.Deferred[scheduler.ReasonUploadLimitExceeded],
		"true caps below the configured ones are learned")
	t.Logf("%d uploads done by %s (%v after start); deferrals %v", st.Done,
		now.Format(time.RFC3339), now.Sub(t0), st.Deferred)
}
