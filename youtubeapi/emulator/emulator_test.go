package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// clock is a settable virtual clock.
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

// t0 is 11:00 in Los Angeles on a summer day.
var t0 = time.Date(2026, 7, 1, 18, 0, 0, 0, time.UTC)

type env struct {
	srv   *Server
	url   string
	clock *clock
}

// newEnv serves an emulator with project p1 (uploads bucket of 5 calls)
// and channels ch1 (cap 3) and ch2 (no cap) under model.
func newEnv(t *testing.T, model string) *env {
	t.Helper()
	m, err := quota.Lookup(model)
	require.NoError(t, err)
	clk := &clock{t: t0}
	srv, err := New(Config{Model: m, Now: clk.Now, Seed: 1,
		Projects: []Project{{ID: "p1",
			Limits: map[quota.Bucket]quota.Units{quota.Uploads: 5},
			Channels: []Channel{{ID: "ch1", UploadsPerDay: 3},
				{ID: "ch2", Token: "tok2"}}}}})
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &env{srv: srv, url: hs.URL, clock: clk}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request; headers come in pairs.
func (e *env) do(t *testing.T, method, path, token string, body []byte,
	headers ...string) reply {
	t.Helper()
	u := path
	if !strings.HasPrefix(u, "http") {
		u = e.url + path
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u,
		bytes.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// googleError decodes an error body and checks its shape.
func googleError(t *testing.T, r reply) errorItem {
	t.Helper()
	var b errorBody
	require.NoError(t, json.Unmarshal(r.body, &b), "body %s", r.body)
	assert.Equal(t, r.status, b.Error.Code, "error.code")
	assert.NotEmpty(t, b.Error.Message, "error.message")
	assert.NotEmpty(t, b.Error.Status, "error.status")
	require.Len(t, b.Error.Errors, 1, "error.errors")
	return b.Error.Errors[0]
}

// open starts a resumable session of size bytes as token.
func (e *env) open(t *testing.T, token string, size int64) (reply, string) {
	t.Helper()
	r := e.do(t, "POST", "/upload/youtube/v3/videos?uploadType=resumable"+
		"&part=snippet,status", token,
		[]byte(`{"snippet":{"title":"t"},"status":{"privacyStatus":"public"}}`),
		"X-Upload-Content-Length", fmt.Sprint(size))
	return r, r.header.Get("Location")
}

func media(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/1000)
	}
	return b
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestAuthRequired(t *testing.T) {
	e := newEnv(t, "2026-06-01")
	for _, tok := range []string{"", "wrong"} {
		r := e.do(t, "GET", "/youtube/v3/channels?part=id&mine=true", tok, nil)
		require.Equal(t, 401, r.status, "token %q", tok)
		it := googleError(t, r)
		assert.Equal(t, "authError", it.Reason)
		assert.Equal(t, "global", it.Domain)
	}
	r := e.do(t, "GET", "/youtube/v3/channels?part=snippet&mine=true", "tok2",
		nil)
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.Contains(t, string(r.body), `"id":"ch2"`)
}

func TestResumableProtocol(t *testing.T) {
	e := newEnv(t, "2026-06-01")
	data := media(3*Granule + 1000)
	size := int64(len(data))
	r, loc := e.open(t, "ch1", size)
	require.Equal(t, 200, r.status, "%s", r.body)
	require.NotEmpty(t, loc)

	put := func(first, last int, total string, extra ...string) reply {
		t.Helper()
		return e.do(t, "PUT", loc, "", data[first:last+1], append([]string{
			"Content-Range", fmt.Sprintf("bytes %d-%d/%s", first, last, total),
		}, extra...)...)
	}
	status := func() reply {
		t.Helper()
		return e.do(t, "PUT", loc, "", nil, "Content-Range",
			fmt.Sprintf("bytes */%d", size))
	}

	// Nothing stored yet: 308 without Range.
	r = status()
	assert.Equal(t, 308, r.status)
	assert.Empty(t, r.header.Get("Range"))

	// The Go client's convention: 200 with an override header.
	r = put(0, Granule-1, "*", "X-GUploader-No-308", "yes")
	assert.Equal(t, 200, r.status)
	assert.Equal(t, "308", r.header.Get("X-Http-Status-Code-Override"))
	assert.Equal(t, fmt.Sprintf("bytes=0-%d", Granule-1), r.header.Get("Range"))

	// The same chunk again (a client retry) is accepted, and so is one
	// that overlaps what is stored.
	r = put(0, Granule-1, "*")
	assert.Equal(t, 308, r.status)
	r = put(Granule/2, 2*Granule-1, fmt.Sprint(size))
	assert.Equal(t, 308, r.status)
	assert.Equal(t, fmt.Sprintf("bytes=0-%d", 2*Granule-1), r.header.Get("Range"))

	// A gap is refused with the range to resume from.
	r = put(3*Granule, int(size)-1, fmt.Sprint(size))
	assert.Equal(t, 308, r.status)
	assert.Equal(t, fmt.Sprintf("bytes=0-%d", 2*Granule-1), r.header.Get("Range"))

	r = put(2*Granule, int(size)-1, fmt.Sprint(size))
	require.Equal(t, 201, r.status, "%s", r.body)
	var v struct {
		ID     string `json:"id"`
		Status struct {
			PrivacyStatus string `json:"privacyStatus"`
		} `json:"status"`
	}
	require.NoError(t, json.Unmarshal(r.body, &v))
	assert.Equal(t, "private", v.Status.PrivacyStatus, "unaudited project")

	vids := e.srv.Videos()
	require.Len(t, vids, 1)
	assert.Equal(t, v.ID, vids[0].ID)
	assert.Equal(t, size, vids[0].Size)
	assert.Equal(t, digest(data), vids[0].SHA256)

	// A status check after the end answers the video again.
	r = status()
	assert.Equal(t, 201, r.status)
	assert.Contains(t, string(r.body), v.ID)

	si, ok := e.srv.Session(vids[0].ID)
	assert.False(t, ok, "sessions are keyed by upload id, not video id")
	for _, si = range e.srv.Sessions() {
		assert.Equal(t, int64(Granule+Granule/2), si.BytesRepeated)
	}
}

func TestMultipartAndMedia(t *testing.T) {
	e := newEnv(t, "2026-06-01")
	data := media(5000)
	body := "--b\r\nContent-Type: application/json\r\n\r\n" +
		`{"snippet":{"title":"mp"}}` + "\r\n--b\r\nContent-Type: video/mp4" +
		"\r\n\r\n" + string(data) + "\r\n--b--\r\n"
	r := e.do(t, "POST", "/upload/youtube/v3/videos?uploadType=multipart"+
		"&part=snippet", "ch1", []byte(body),
		"Content-Type", "multipart/related; boundary=b")
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.Contains(t, string(r.body), `"title":"mp"`)

	r = e.do(t, "POST", "/upload/youtube/v3/videos?uploadType=media"+
		"&part=snippet", "ch1", data, "Content-Type", "video/mp4")
	require.Equal(t, 200, r.status, "%s", r.body)

	vids := e.srv.Videos()
	require.Len(t, vids, 2)
	for _, v := range vids {
		assert.Equal(t, digest(data), v.SHA256, "video %s", v.ID)
	}
}

// TestInterruptedChunkKeepsGranules cuts a chunk off mid-way over a raw
// connection: the server keeps the whole granules it received.
func TestInterruptedChunkKeepsGranules(t *testing.T) {
	e := newEnv(t, "2026-06-01")
	data := media(4 * Granule)
	_, loc := e.open(t, "ch1", int64(len(data)))
	id := loc[strings.Index(loc, "upload_id=")+len("upload_id="):]

	conn, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
	require.NoError(t, err)
	sent := Granule + Granule/2
	head := fmt.Sprintf("PUT %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"+
		"Content-Range: bytes 0-%d/%d\r\n\r\n", loc[len(e.url):], len(data),
		len(data)-1, len(data))
	_, err = conn.Write(append([]byte(head), data[:sent]...))
	require.NoError(t, err)
	// Wait until the server has read what was sent, then cut.
	require.Eventually(t, func() bool {
		si, _ := e.srv.Session(id)
		return si.BytesReceived == int64(sent)
	}, 5*time.Second, time.Millisecond)
	require.NoError(t, conn.Close())
	require.Eventually(t, func() bool {
		si, _ := e.srv.Session(id)
		return si.Interrupted == 1
	}, 5*time.Second, time.Millisecond)

	r := e.do(t, "PUT", loc, "", nil, "Content-Range",
		fmt.Sprintf("bytes */%d", len(data)))
	assert.Equal(t, 308, r.status)
	assert.Equal(t, fmt.Sprintf("bytes=0-%d", Granule-1), r.header.Get("Range"))
	si, _ := e.srv.Session(id)
	assert.Equal(t, int64(Granule/2), si.BytesDropped)
}

func TestErrorsAsYouTubeSendsThem(t *testing.T) {
	tests := []struct {
		name   string
		faults Faults
		uses   int // inserts made before the call, by ch1
		status int
		reason string
		domain string
	}{
		{"quotaExceeded", Faults{Exhaust: []string{"p1/uploads"}}, 0, 403,
			"quotaExceeded", "youtube.quota"},
		{"uploadLimitExceeded", Faults{}, 3, 400, "uploadLimitExceeded",
			"youtube.video"},
		{"rateLimitExceeded", Faults{RateLimitRate: 1}, 0, 403,
			"rateLimitExceeded", "usageLimits"},
		{"backendError", Faults{ServerErrorRate: 1}, 0, 503, "backendError",
			"global"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "2026-06-01")
			for range tt.uses {
				r, _ := e.open(t, "ch1", 10)
				require.Equal(t, 200, r.status)
			}
			require.NoError(t, e.srv.SetFaults(tt.faults))
			r, _ := e.open(t, "ch1", 10)
			require.Equal(t, tt.status, r.status, "%s", r.body)
			it := googleError(t, r)
			assert.Equal(t, tt.reason, it.Reason)
			assert.Equal(t, tt.domain, it.Domain)
		})
	}
}

func TestQuotaPerBucket(t *testing.T) {
	tests := []struct {
		model            string
		uploads, general quota.Units
	}{
		// insert + list + update + thumbnails.set + invalid update
		{"2026-06-01", 1, 1 + 50 + 50 + 1},
		{"before-2025-12-04", 0, 1600 + 1 + 50 + 50 + 1},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			e := newEnv(t, tt.model)
			data := media(1000)
			r := e.do(t, "POST", "/upload/youtube/v3/videos?uploadType=media"+
				"&part=snippet", "ch1", data)
			require.Equal(t, 200, r.status, "%s", r.body)
			var v struct{ ID string }
			require.NoError(t, json.Unmarshal(r.body, &v))

			r = e.do(t, "GET", "/youtube/v3/videos?part=snippet&id="+v.ID,
				"ch1", nil)
			require.Equal(t, 200, r.status, "%s", r.body)
			r = e.do(t, "PUT", "/youtube/v3/videos?part=snippet", "ch1",
				[]byte(`{"id":"`+v.ID+`","snippet":{"title":"new"}}`))
			require.Equal(t, 200, r.status, "%s", r.body)
			assert.Contains(t, string(r.body), `"title":"new"`)
			r = e.do(t, "POST", "/upload/youtube/v3/thumbnails/set?videoId="+
				v.ID, "ch1", []byte("png"), "Content-Type", "image/png")
			require.Equal(t, 200, r.status, "%s", r.body)
			r = e.do(t, "PUT", "/youtube/v3/videos?part=snippet", "ch1",
				[]byte(`{"id":"nope"}`))
			require.Equal(t, 404, r.status, "%s", r.body)
			assert.Equal(t, "videoNotFound", googleError(t, r).Reason)

			usage, ok := e.srv.Usage("p1")
			require.True(t, ok)
			got := map[quota.Bucket]quota.Units{}
			for _, u := range usage {
				got[u.Bucket] = u.Spent
			}
			assert.Equal(t, tt.uploads, got[quota.Uploads], "uploads bucket")
			assert.Equal(t, tt.general, got[quota.General], "general bucket")
		})
	}
}

func TestQuotaResetsAtPacificMidnight(t *testing.T) {
	e := newEnv(t, "2026-06-01")
	// 23:30 PST on 1 November 2026, the day that lasts 25 hours.
	e.clock.Set(time.Date(2026, 11, 2, 7, 30, 0, 0, time.UTC))
	require.NoError(t, e.srv.Exhaust("p1", quota.Uploads))
	r, _ := e.open(t, "tok2", 10)
	require.Equal(t, 403, r.status)

	// 07:59 UTC is still 23:59 PST: a fixed UTC-7 would have reset at 07:00.
	e.clock.Set(time.Date(2026, 11, 2, 7, 59, 0, 0, time.UTC))
	r, _ = e.open(t, "tok2", 10)
	require.Equal(t, 403, r.status)
	e.clock.Set(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	r, _ = e.open(t, "tok2", 10)
	require.Equal(t, 200, r.status, "%s", r.body)
}

func TestChannelCapRolls(t *testing.T) {
	e := newEnv(t, "2026-06-01")
	for i := range 3 {
		e.clock.Set(t0.Add(time.Duration(i) * time.Hour))
		r, _ := e.open(t, "ch1", 10)
		require.Equal(t, 200, r.status)
	}
	r, _ := e.open(t, "ch1", 10)
	require.Equal(t, 400, r.status)
	e.clock.Set(t0.Add(24 * time.Hour))
	r, _ = e.open(t, "ch1", 10)
	assert.Equal(t, 200, r.status, "the first insert left the window")
}

func TestSessionExpires(t *testing.T) {
	e := newEnv(t, "2026-06-01")
	_, loc := e.open(t, "ch1", 10)
	id := loc[strings.Index(loc, "upload_id=")+len("upload_id="):]
	r := e.do(t, "POST", "/emulator/expire?upload_id="+id, "", nil)
	require.Equal(t, 204, r.status)
	r = e.do(t, "PUT", loc, "", media(10), "Content-Range", "bytes 0-9/10")
	assert.Equal(t, 404, r.status)
}

func TestAdminEndpoints(t *testing.T) {
	e := newEnv(t, "2026-06-01")
	r := e.do(t, "PUT", "/emulator/faults", "",
		[]byte(`{"latency":"1ms","server_error_rate":0.5,"channel_cap":2}`))
	require.Equal(t, 200, r.status, "%s", r.body)
	f := e.srv.Faults()
	assert.Equal(t, time.Millisecond, f.Latency.Duration)
	assert.Equal(t, 0.5, f.ServerErrorRate)

	r = e.do(t, "PUT", "/emulator/faults", "", []byte(`{"rate_limit_rate":2}`))
	assert.Equal(t, 400, r.status)
	r = e.do(t, "POST", "/emulator/exhaust?project=p1&bucket=general", "", nil)
	assert.Equal(t, 204, r.status)

	r = e.do(t, "GET", "/emulator/state", "", nil)
	require.Equal(t, 200, r.status)
	var st State
	require.NoError(t, json.Unmarshal(r.body, &st))
	require.Len(t, st.Projects, 1)
	require.Len(t, st.Channels, 2)
	assert.Equal(t, 2, st.Channels[0].Cap, "the fault's cap")
	for _, b := range st.Projects[0].Buckets {
		if b.Bucket == quota.General {
			assert.Equal(t, b.Limit, b.Spent, "general bucket exhausted")
		}
	}
}
