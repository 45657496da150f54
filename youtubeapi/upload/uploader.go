package upload

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/youtube/v3"
)

// Granule is the unit of chunk sizes: 256 KiB.
const Granule = 256 << 10

// DefaultChunkSize is the chunk size when Uploader.ChunkSize is 0: 8 MiB.
const DefaultChunkSize = 32 * Granule

// Retry bounds the uploader's own retries of chunks.
type Retry struct {
	// Initial is the first wait, doubled per failure up to Max; each
	// wait is drawn between half and all of that.
	Initial, Max time.Duration
	// Attempts is how many failures in a row, without progress, end the
	// upload with the last error. The session stays stored, so a later
	// Upload with the same key resumes.
	Attempts int
	// Sessions bounds the sessions one Upload call may open (after 404s).
	Sessions int
}

// DefaultRetry waits from 200 ms to 30 s, gives up after 10 failures in a
// row and opens at most 3 sessions per call.
var DefaultRetry = Retry{Initial: 200 * time.Millisecond,
	Max: 30 * time.Second, Attempts: 10, Sessions: 3}

// Uploader uploads videos with the resumable protocol. Its fields are
// read-only once Upload is called; one Uploader serves concurrent
// uploads of distinct keys.
type Uploader struct {
	// HTTP sends the requests and carries the credentials (see Bearer).
	HTTP *http.Client
	// Endpoint is the API's root, such as "http://127.0.0.1:8090".
	Endpoint string
	// ChunkSize is the bytes per chunk, a multiple of Granule; 0 is
	// DefaultChunkSize.
	ChunkSize int64
	// Sessions keeps session URLs across restarts; nil keeps them in
	// this Uploader only.
	Sessions SessionStore
	// Retry is the retry policy; the zero Retry is DefaultRetry.
	Retry Retry
	// ChunkTimeout bounds one chunk request or status check, so that a
	// stalled connection is retried instead of waited on; 0 is no bound.
	// Size it as ChunkSize over the slowest link to tolerate.
	ChunkTimeout time.Duration
	// Seed seeds the backoff jitter.
	Seed uint64
	// Logger gets one line per retry and resume; nil discards.
	Logger *slog.Logger

	mem MemStore
}

// Request is one video to upload.
type Request struct {
	// Key names the upload for the session store; the same key resumes
	// the same session.
	Key string
	// Parts are the resource parts to set and return; nil is snippet and
	// status.
	Parts []string
	Video *youtube.Video
	// Media is read from offset 0 to Size; it is read again from any
	// offset when a chunk is re-sent.
	Media       io.ReaderAt
	Size        int64
	ContentType string // "video/*" when empty
}

// Stats counts what one Upload call did.
type Stats struct {
	// Sessions is the sessions opened: each one is a videos.insert call
	// charged to quota and to the channel's cap.
	Sessions int
	// ResumedFrom is the offset a stored session resumed at; -1 when the
	// call opened its own session.
	ResumedFrom int64
	// Resumes counts the status checks after failures.
	Resumes int
	// Chunks counts chunk requests.
	Chunks int
	// BytesSent counts media bytes handed to the connection, re-sent
	// bytes included.
	BytesSent int64
	Elapsed   time.Duration
}

// Result is a finished upload.
type Result struct {
	Video *youtube.Video
	Stats Stats
}

// ErrChunkSize is returned for a chunk size that is not a positive
// multiple of Granule.
var ErrChunkSize = errors.New("chunk size must be a positive multiple " +
	"of 256 KiB")

// errExpired is a 404 on the session URL.
var errExpired = errors.New("upload session expired")

func (u *Uploader) store() SessionStore {
	if u.Sessions != nil {
		return u.Sessions
	}
	return &u.mem
}

func (u *Uploader) retry() Retry {
	if u.Retry == (Retry{}) {
		return DefaultRetry
	}
	return u.Retry
}

func (u *Uploader) logger() *slog.Logger {
	if u.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return u.Logger
}

// Upload sends req, resuming a stored session of req.Key if there is
// one. On error the stored session is kept unless it is useless (expired
// or rejected), so that calling Upload again resumes.
func (u *Uploader) Upload(ctx context.Context, req Request) (Result, error) {
	start := time.Now()
	st := Stats{ResumedFrom: -1}
	v, err := u.upload(ctx, req, &st)
	st.Elapsed = time.Since(start)
	if err != nil {
		return Result{Stats: st}, fmt.Errorf("upload %s: %w", req.Key, err)
	}
	return Result{Video: v, Stats: st}, nil
}

func (u *Uploader) upload(ctx context.Context, req Request, st *Stats) (
	*youtube.Video, error) {
	chunk := u.ChunkSize
	if chunk == 0 {
		chunk = DefaultChunkSize
	}
	if chunk <= 0 || chunk%Granule != 0 {
		return nil, fmt.Errorf("%w: got %d", ErrChunkSize, chunk)
	}
	if req.Key == "" || req.Media == nil || req.Size <= 0 {
		return nil, errors.New("request needs a key, media and a size " +
			"above 0")
	}
	rt := u.retry()
	seed := u.Seed ^ uint64(time.Now().UnixNano()) // jitter spreads clients
	rnd := rand.New(rand.NewPCG(seed, seed>>1))
	store := u.store()

	sess, ok, err := store.Load(req.Key)
	if err != nil {
		return nil, err
	}
	if ok && sess.Size != req.Size {
		ok = false // another media under the same key: start over
	}
	stored := ok
	for opened := 0; ; {
		if !ok {
			if opened >= rt.Sessions {
				return nil, fmt.Errorf("%w: opened %d sessions", errExpired,
					opened)
			}
			url, err := u.open(ctx, req)
			if err != nil {
				return nil, err
			}
			opened++
			st.Sessions++
			sess = Session{URL: url, Size: req.Size, Created: time.Now()}
			if err := store.Save(req.Key, sess); err != nil {
				return nil, err
			}
		}
		v, err := u.send(ctx, sess.URL, req, chunk, stored, rt, rnd, st)
		switch {
		case err == nil:
			return v, store.Delete(req.Key)
		case errors.Is(err, errExpired):
			u.logger().Info("session expired; opening a new one",
				"key", req.Key)
			ok, stored = false, false
			if err := store.Delete(req.Key); err != nil {
				return nil, err
			}
		case isRejected(err):
			_ = store.Delete(req.Key) // the session is useless
			return nil, err
		default:
			return nil, err // the session stays for a later resume
		}
	}
}

// isRejected reports whether err is an API answer that makes the session
// useless: any 4xx but 408 and 429.
func isRejected(err error) bool {
	var g *googleapi.Error
	return errors.As(err, &g) && g.Code >= 400 && g.Code < 500 &&
		g.Code != http.StatusRequestTimeout &&
		g.Code != http.StatusTooManyRequests
}

// open starts a session (the videos.insert call) and returns its URL.
func (u *Uploader) open(ctx context.Context, req Request) (string, error) {
	parts := req.Parts
	if len(parts) == 0 {
		parts = []string{"snippet", "status"}
	}
	body, err := json.Marshal(req.Video)
	if err != nil {
		return "", fmt.Errorf("encode video: %w", err)
	}
	url := strings.TrimSuffix(u.Endpoint, "/") +
		"/upload/youtube/v3/videos?uploadType=resumable&part=" +
		strings.Join(parts, ",")
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url,
		bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("open session: %w", err)
	}
	ct := req.ContentType
	if ct == "" {
		ct = "video/*"
	}
	hr.Header.Set("Content-Type", "application/json; charset=UTF-8")
	hr.Header.Set("X-Upload-Content-Length", strconv.FormatInt(req.Size, 10))
	hr.Header.Set("X-Upload-Content-Type", ct)
	resp, err := u.HTTP.Do(hr)
	if err != nil {
		return "", fmt.Errorf("open session: %w", err)
	}
	defer resp.Body.Close()
	if err := googleapi.CheckResponse(resp); err != nil {
		return "", fmt.Errorf("open session: %w", err)
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "", errors.New("open session: answer has no Location")
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return loc, nil
}

// status asks the server how much of the media it holds. It returns the
// offset to continue at, or the video when the upload is complete.
func (u *Uploader) status(ctx context.Context, url string, size int64) (
	int64, *youtube.Video, error) {
	ctx, cancel := u.bound(ctx)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPut, url, nil)
	if err != nil {
		return 0, nil, fmt.Errorf("status check: %w", err)
	}
	hr.Header.Set("Content-Range", fmt.Sprintf("bytes */%d", size))
	resp, err := u.HTTP.Do(hr)
	if err != nil {
		return 0, nil, fmt.Errorf("status check: %w", err)
	}
	defer resp.Body.Close()
	return answer(resp)
}

// answer reads the server's answer to a chunk or status check: the
// offset to go on at, the finished video, or an error (errExpired for
// 404, *googleapi.Error for other failures).
func answer(resp *http.Response) (int64, *youtube.Video, error) {
	if resp.StatusCode == http.StatusPermanentRedirect ||
		resp.Header.Get("X-Http-Status-Code-Override") == "308" {
		_, _ = io.Copy(io.Discard, resp.Body)
		return storedEnd(resp.Header.Get("Range"))
	}
	if resp.StatusCode == http.StatusNotFound {
		_, _ = io.Copy(io.Discard, resp.Body)
		return 0, nil, errExpired
	}
	if err := googleapi.CheckResponse(resp); err != nil {
		return 0, nil, err
	}
	v := &youtube.Video{}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return 0, nil, fmt.Errorf("decode video: %w", err)
	}
	return 0, v, nil
}

// storedEnd turns a Range header "bytes=0-N" into N+1; none is 0.
func storedEnd(h string) (int64, *youtube.Video, error) {
	if h == "" {
		return 0, nil, nil
	}
	rest, ok := strings.CutPrefix(h, "bytes=0-")
	n, err := strconv.ParseInt(rest, 10, 64)
	if !ok || err != nil || n < 0 {
		return 0, nil, fmt.Errorf("server range %q: want bytes=0-N", h)
	}
	return n + 1, nil, nil
}

// retryable reports whether a failed chunk is worth a status check and
// another try: transport failures, 5xx, 408 and 429.
func retryable(err error) bool {
	var g *googleapi.Error
	if errors.As(err, &g) {
		return g.Code >= 500 || g.Code == http.StatusRequestTimeout ||
			g.Code == http.StatusTooManyRequests
	}
	return !errors.Is(err, errExpired)
}

// send streams the media in chunks until the server returns the video.
// A stored session (check) starts with a status check; a fresh one at 0.
func (u *Uploader) send(ctx context.Context, url string, req Request,
	chunk int64, check bool, rt Retry, rnd *rand.Rand, st *Stats) (
	*youtube.Video, error) {
	var off int64
	failures := 0
	fail := func(err error) error {
		failures++
		if failures >= rt.Attempts {
			return fmt.Errorf("%d failures in a row at byte %d: %w",
				failures, off, err)
		}
		wait := backoff(rt, failures, rnd)
		u.logger().Info("upload request failed; resuming", "offset", off,
			"failure", failures, "wait", wait, "err", err)
		return sleep(ctx, wait)
	}
	for {
		if check {
			next, v, err := u.status(ctx, url, req.Size)
			switch {
			case v != nil:
				return v, nil
			case err != nil && (ctx.Err() != nil || !retryable(err)):
				return nil, err
			case err != nil:
				if err := fail(err); err != nil {
					return nil, err
				}
				continue
			}
			if st.Chunks == 0 && st.Sessions == 0 {
				st.ResumedFrom = next // resuming a stored session
			} else {
				st.Resumes++
			}
			off, check = next, false
		}
		n := min(chunk, req.Size-off)
		next, v, err := u.put(ctx, url, req, off, n, st)
		switch {
		case v != nil:
			return v, nil
		case err == nil && next > off:
			off, failures = next, 0
			continue
		case err == nil: // the server kept nothing of the chunk
			err = fmt.Errorf("no progress at byte %d (server has %d)", off,
				next)
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case !retryable(err):
			return nil, err
		}
		if err := fail(err); err != nil {
			return nil, err
		}
		check = true
	}
}

// put sends bytes [off, off+n) and returns where the server wants the
// next chunk to start, or the video.
func (u *Uploader) put(ctx context.Context, url string, req Request,
	off, n int64, st *Stats) (int64, *youtube.Video, error) {
	ctx, cancel := u.bound(ctx)
	defer cancel()
	body := &counter{r: io.NewSectionReader(req.Media, off, n)}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPut, url, body)
	if err != nil {
		return 0, nil, fmt.Errorf("chunk at %d: %w", off, err)
	}
	hr.ContentLength = n
	hr.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off,
		off+n-1, req.Size))
	st.Chunks++
	resp, err := u.HTTP.Do(hr)
	st.BytesSent += body.n.Load()
	if err != nil {
		return 0, nil, fmt.Errorf("chunk at %d: %w", off, err)
	}
	defer resp.Body.Close()
	return answer(resp)
}

// bound applies ChunkTimeout to one request.
func (u *Uploader) bound(ctx context.Context) (context.Context,
	context.CancelFunc) {
	if u.ChunkTimeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, u.ChunkTimeout)
}

// counter counts the bytes read through it; the transport may read from
// another goroutine.
type counter struct {
	r io.Reader
	n atomic.Int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func backoff(rt Retry, failures int, rnd *rand.Rand) time.Duration {
	w := rt.Initial << min(failures-1, 30)
	if w <= 0 || w > rt.Max {
		w = rt.Max
	}
	return w/2 + time.Duration(rnd.Int64N(int64(w/2)+1))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
