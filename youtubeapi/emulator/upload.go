package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/api/youtube/v3"
)

// Granule is the unit in which the emulator keeps the bytes of a chunk
// that was cut off: whole 256 KiB blocks, the unit chunks come in.
const Granule = 256 << 10

// session is one resumable upload.
type session struct {
	id      string
	channel *channelState
	meta    *youtube.Video
	parts   []string
	created time.Time

	mu        sync.Mutex // held while a request streams into the session
	total     int64      // -1 until known
	committed int64
	pending   []byte // received past committed, not yet kept
	sum       hash.Hash
	expired   bool
	done      *video

	statMu sync.Mutex // guards stats, which readers see mid-stream
	stats  SessionInfo
}

// count applies f to the session's statistics.
func (ss *session) count(f func(si *SessionInfo)) {
	ss.statMu.Lock()
	defer ss.statMu.Unlock()
	f(&ss.stats)
}

// uploadVideo serves videos.insert and the session URLs.
func (s *Server) uploadVideo(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if id := q.Get("upload_id"); id != "" {
		s.chunk(w, r, id)
		return
	}
	if r.Method != http.MethodPost {
		writeError(w, badRequest("videos.insert needs POST"))
		return
	}
	s.call(w, r, "videos.insert", func(c *channelState, now time.Time) *apiError {
		ps, aerr := parts(r)
		if aerr != nil {
			return aerr
		}
		switch t := q.Get("uploadType"); t {
		case "resumable":
			return s.initiate(w, r, c, ps, now)
		case "multipart", "media":
			return s.single(w, r, c, ps, t, now)
		default:
			return badRequest(fmt.Sprintf("uploadType %q: want resumable, "+
				"multipart or media", t))
		}
	})
}

// admit counts an insert against the channel's rolling cap.
func (s *Server) admit(c *channelState, now time.Time) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := c.UploadsPerDay
	if s.faults.ChannelCap > 0 {
		limit = s.faults.ChannelCap
	}
	if limit > 0 && c.inserts.Count(now) >= limit {
		return errUploadLimit
	}
	c.inserts.Add(now)
	return nil
}

func decodeVideo(b []byte) (*youtube.Video, *apiError) {
	v := &youtube.Video{}
	if len(strings.TrimSpace(string(b))) == 0 {
		return v, nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return nil, badRequest("parsing the video resource: " + err.Error())
	}
	return v, nil
}

func sortedParts(ps map[string]bool) []string {
	out := make([]string, 0, len(ps))
	for _, p := range []string{"snippet", "status", "contentDetails",
		"recordingDetails", "localizations", "id"} {
		if ps[p] {
			out = append(out, p)
		}
	}
	return out
}

// initiate opens a resumable session and answers its URL.
func (s *Server) initiate(w http.ResponseWriter, r *http.Request,
	c *channelState, ps map[string]bool, now time.Time) *apiError {
	b, aerr := readJSONBody(r)
	if aerr != nil {
		return aerr
	}
	meta, aerr := decodeVideo(b)
	if aerr != nil {
		return aerr
	}
	total := int64(-1)
	if v := r.Header.Get("X-Upload-Content-Length"); v != "" {
		n, err := number(v)
		if err != nil {
			return badRequest("X-Upload-Content-Length: " + err.Error())
		}
		total = n
	}
	if aerr := s.admit(c, now); aerr != nil {
		return aerr
	}
	ss := &session{id: s.newID(24), channel: c, meta: meta,
		parts: sortedParts(ps), created: now, total: total,
		sum: sha256.New()}
	ss.stats.ID = ss.id
	ss.stats.Channel = c.ID
	s.mu.Lock()
	s.sessions[ss.id] = ss
	s.mu.Unlock()
	w.Header().Set("Location", fmt.Sprintf("%s/upload/youtube/v3/videos?"+
		"uploadType=resumable&upload_id=%s", baseURL(r), ss.id))
	w.Header().Set("X-GUploader-UploadID", ss.id)
	w.WriteHeader(http.StatusOK)
	return nil
}

// baseURL is the scheme and host the client used.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// single serves a one-request upload: multipart (metadata and media) or
// media (media alone).
func (s *Server) single(w http.ResponseWriter, r *http.Request,
	c *channelState, ps map[string]bool, kind string, now time.Time) *apiError {
	meta := &youtube.Video{}
	media := io.Reader(r.Body)
	if kind == "multipart" {
		mr, aerr := multipartReader(r)
		if aerr != nil {
			return aerr
		}
		if meta, media, aerr = splitMultipart(mr); aerr != nil {
			return aerr
		}
	}
	if aerr := s.admit(c, now); aerr != nil {
		return aerr
	}
	h := sha256.New()
	n, err := io.Copy(h, media)
	if err != nil {
		return badRequest("reading the media: " + err.Error())
	}
	v := s.publish(c, meta, n, h, now)
	writeJSON(w, http.StatusOK, s.render(v, sortedParts(ps)))
	return nil
}

func multipartReader(r *http.Request) (*multipart.Reader, *apiError) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") ||
		params["boundary"] == "" {
		return nil, badRequest("a multipart upload needs Content-Type " +
			"multipart/related with a boundary")
	}
	return multipart.NewReader(r.Body, params["boundary"]), nil
}

// splitMultipart reads the metadata part and returns the media part.
func splitMultipart(mr *multipart.Reader) (*youtube.Video, io.Reader,
	*apiError) {
	first, err := mr.NextPart()
	if err != nil {
		return nil, nil, badRequest("multipart: no metadata part: " +
			err.Error())
	}
	b, err := io.ReadAll(io.LimitReader(first, 1<<20+1))
	if err != nil || len(b) > 1<<20 {
		return nil, nil, badRequest("multipart: metadata unreadable or " +
			"over 1 MiB")
	}
	meta, aerr := decodeVideo(b)
	if aerr != nil {
		return nil, nil, aerr
	}
	media, err := mr.NextPart()
	if err != nil {
		return nil, nil, badRequest("multipart: no media part: " +
			err.Error())
	}
	return meta, media, nil
}

// publish creates the video resource of a finished upload.
func (s *Server) publish(c *channelState, meta *youtube.Video,
	size int64, sum hash.Hash, now time.Time) *video {
	sn := meta.Snippet
	if sn == nil {
		sn = &youtube.VideoSnippet{}
	}
	sn.ChannelId = c.ID
	sn.ChannelTitle = c.Title
	sn.PublishedAt = now.UTC().Format(time.RFC3339)
	if sn.Title == "" {
		sn.Title = "unknown"
	}
	st := meta.Status
	if st == nil {
		st = &youtube.VideoStatus{}
	}
	st.UploadStatus = "uploaded"
	if st.PrivacyStatus == "" || !c.project.Audited {
		st.PrivacyStatus = "private" // FACTS.md: unaudited projects
	}
	v := &video{channel: c.ID, size: size,
		sha256: hex.EncodeToString(sum.Sum(nil)),
		res: &youtube.Video{Kind: "youtube#video", Id: s.newID(11),
			Etag: s.newID(27), Snippet: sn, Status: st}}
	s.mu.Lock()
	s.videos[v.res.Id] = v
	s.order = append(s.order, v.res.Id)
	s.mu.Unlock()
	return v
}

// render returns v's resource with only the parts asked for.
func (s *Server) render(v *video, parts []string) *youtube.Video {
	s.mu.Lock()
	defer s.mu.Unlock()
	return v.view(parts)
}

// view is render with s.mu held.
func (v *video) view(parts []string) *youtube.Video {
	out := &youtube.Video{Kind: v.res.Kind, Id: v.res.Id, Etag: v.res.Etag}
	for _, p := range parts {
		switch p {
		case "snippet":
			sn := *v.res.Snippet
			out.Snippet = &sn
		case "status":
			st := *v.res.Status
			out.Status = &st
		case "contentDetails":
			out.ContentDetails = &youtube.VideoContentDetails{
				Definition: "hd", Dimension: "2d"}
		}
	}
	return out
}

// chunk serves a request on a session URL: bytes or a status check.
func (s *Server) chunk(w http.ResponseWriter, r *http.Request, id string) {
	s.delay(r.Context())
	s.mu.Lock()
	ss, ok := s.sessions[id]
	s.mu.Unlock()
	if !ok {
		writeError(w, errSession)
		return
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	now := s.now()
	if ss.expired || now.Sub(ss.created) > s.ttl {
		ss.expired = true
		writeError(w, errSession)
		return
	}
	ss.count(func(si *SessionInfo) { si.Requests++ })
	if ss.done != nil { // a repeat of the final chunk
		writeJSON(w, http.StatusCreated, s.render(ss.done, ss.parts))
		return
	}
	cr, aerr := requestRange(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	if cr.total >= 0 {
		if ss.total >= 0 && ss.total != cr.total {
			writeError(w, badRequest(fmt.Sprintf("total %d differs from "+
				"the session's %d", cr.total, ss.total)))
			return
		}
		ss.total = cr.total
	}
	fail := s.roll(s.Faults().ServerErrorRate)
	if !cr.isStatus() {
		if cr.first > ss.committed {
			// A gap: the client must resume from what is stored.
			w.Header().Set("Connection", "close")
			s.incomplete(w, r, ss)
			return
		}
		if err := ss.receive(r.Body, cr); err != nil {
			// The connection is most likely gone; answer anyway.
			writeError(w, badRequest("reading the chunk: "+err.Error()))
			return
		}
	}
	if fail {
		writeError(w, errBackend)
		return
	}
	if ss.total >= 0 && ss.committed == ss.total {
		ss.done = s.publish(ss.channel, ss.meta, ss.committed, ss.sum, now)
		ss.count(func(si *SessionInfo) { si.Video = ss.done.res.Id })
		writeJSON(w, http.StatusCreated, s.render(ss.done, ss.parts))
		return
	}
	s.incomplete(w, r, ss)
}

// requestRange returns the request's Content-Range; without one, a
// request with a body carries the whole media and one without is a
// status check of unknown total.
func requestRange(r *http.Request) (contentRange, *apiError) {
	h := r.Header.Get("Content-Range")
	if h == "" {
		if r.ContentLength > 0 {
			n := r.ContentLength
			return contentRange{first: 0, last: n - 1, total: n}, nil
		}
		return contentRange{first: -1, last: -1, total: -1}, nil
	}
	cr, err := parseContentRange(h)
	if err != nil {
		return contentRange{}, badRequest(err.Error())
	}
	return cr, nil
}

// incomplete answers "resume incomplete" with the stored range, in the
// form the client asked for.
func (s *Server) incomplete(w http.ResponseWriter, r *http.Request,
	ss *session) {
	if ss.committed > 0 {
		w.Header().Set("Range", "bytes=0-"+
			strconv.FormatInt(ss.committed-1, 10))
	}
	w.Header().Set("Content-Length", "0")
	if strings.EqualFold(r.Header.Get("X-GUploader-No-308"), "yes") {
		w.Header().Set("X-Http-Status-Code-Override", "308")
		w.WriteHeader(http.StatusOK)
		return
	}
	w.WriteHeader(http.StatusPermanentRedirect)
}

// receive stores the bytes of a chunk that starts at or before the
// committed offset: repeated bytes are skipped, new ones kept in whole
// granules as they arrive and the rest when the chunk is complete.
func (ss *session) receive(body io.Reader, cr contentRange) error {
	ss.count(func(si *SessionInfo) { si.Chunks++ })
	skip := ss.committed - cr.first
	want := cr.last - cr.first + 1
	buf := make([]byte, 64<<10)
	var got int64
	for got < want {
		n, err := body.Read(buf[:min(int64(len(buf)), want-got)])
		data := buf[:n]
		got += int64(n)
		k := min(max(skip, 0), int64(len(data)))
		skip -= k
		data = data[k:]
		ss.count(func(si *SessionInfo) {
			si.BytesReceived += int64(n)
			si.BytesRepeated += k
		})
		ss.pending = append(ss.pending, data...)
		for len(ss.pending) >= Granule {
			ss.keep(Granule)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			ss.drop()
			return fmt.Errorf("after %d of %d bytes: %w", got, want, err)
		}
	}
	if got < want {
		ss.drop()
		return fmt.Errorf("body ended after %d of %d bytes: %w", got, want,
			io.ErrUnexpectedEOF)
	}
	ss.keep(len(ss.pending))
	return nil
}

// drop discards the partial granule of a chunk that was cut off.
func (ss *session) drop() {
	n := int64(len(ss.pending))
	ss.pending = ss.pending[:0]
	ss.count(func(si *SessionInfo) {
		si.BytesDropped += n
		si.Interrupted++
	})
}

// keep commits the first n pending bytes.
func (ss *session) keep(n int) {
	ss.sum.Write(ss.pending[:n])
	ss.committed += int64(n)
	rest := copy(ss.pending, ss.pending[n:])
	ss.pending = ss.pending[:rest]
	c := ss.committed
	ss.count(func(si *SessionInfo) { si.Committed = c })
}

// ExpireSession ends session id as if its week had passed; the next
// request on it gets 404. It reports whether the session existed.
func (s *Server) ExpireSession(id string) bool {
	s.mu.Lock()
	ss, ok := s.sessions[id]
	s.mu.Unlock()
	if !ok {
		return false
	}
	ss.mu.Lock()
	ss.expired = true
	ss.mu.Unlock()
	return true
}
