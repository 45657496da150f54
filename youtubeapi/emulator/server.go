package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"google.golang.org/api/youtube/v3"

	"github.com/scaletest/scaletest/youtubeapi"
	"github.com/scaletest/scaletest/youtubeapi/internal/rolling"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// Server is the emulator; see the package documentation. It is safe for
// concurrent use.
type Server struct {
	cfg    Config
	now    func() time.Time
	log    *slog.Logger
	mux    map[string]map[string]http.HandlerFunc
	ttl    time.Duration
	ledger map[string]*quota.Ledger // by project
	store  *quota.MemStore

	mu       sync.Mutex // guards what follows
	rnd      *rand.Rand
	faults   Faults
	tokens   map[string]*channelState
	channels map[string]*channelState
	projects map[string]*projectState
	sessions map[string]*session
	videos   map[string]*video
	order    []string // video ids in creation order
}

type projectState struct {
	Project
}

type channelState struct {
	Channel
	project *projectState
	inserts rolling.Window
}

type video struct {
	res       *youtube.Video
	channel   string
	size      int64
	sha256    string
	thumbnail int64 // bytes of the last thumbnail set
	playlists []string
}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, now: cfg.Now, log: cfg.Logger, ttl: cfg.SessionTTL,
		ledger:   map[string]*quota.Ledger{},
		store:    quota.NewMemStore(),
		rnd:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0xe1e1)),
		tokens:   map[string]*channelState{},
		channels: map[string]*channelState{},
		projects: map[string]*projectState{},
		sessions: map[string]*session{},
		videos:   map[string]*video{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.ttl <= 0 {
		s.ttl = 7 * 24 * time.Hour
	}
	for _, p := range cfg.Projects {
		ps := &projectState{Project: p}
		s.projects[p.ID] = ps
		l, err := quota.NewLedger(s.store, cfg.Model,
			quota.Project{ID: p.ID, Limits: p.Limits})
		if err != nil {
			return nil, fmt.Errorf("new emulator: %w", err)
		}
		s.ledger[p.ID] = l.WithPolicy(quota.Minimum)
		for _, c := range p.Channels {
			cs := &channelState{Channel: c, project: ps,
				inserts: rolling.Window{Span: 24 * time.Hour}}
			tok := c.Token
			if tok == "" {
				tok = c.ID
			}
			s.tokens[tok] = cs
			s.channels[c.ID] = cs
		}
	}
	s.routes()
	return s, nil
}

// routes maps each path to its handler per method. Unknown paths get
// 404 and known paths with another method 405, both in Google's format.
func (s *Server) routes() {
	s.mux = map[string]map[string]http.HandlerFunc{
		"/upload/youtube/v3/videos": {
			"POST": s.uploadVideo, "PUT": s.uploadVideo},
		"/upload/youtube/v3/thumbnails/set": {"POST": s.thumbnailsSet},
		"/youtube/v3/thumbnails/set":        {"POST": s.thumbnailsSet},
		"/youtube/v3/videos": {
			"GET": s.videosList, "PUT": s.videosUpdate},
		"/youtube/v3/playlistItems": {"POST": s.playlistItemsInsert},
		"/youtube/v3/channels":      {"GET": s.channelsList},
		"/emulator/faults":          {"GET": s.getFaults, "PUT": s.putFaults},
		"/emulator/state":           {"GET": s.getState},
		"/emulator/exhaust":         {"POST": s.postExhaust},
		"/emulator/expire":          {"POST": s.postExpire},
	}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		// A handler bug must not take a test binary down with it; the
		// fuzz test makes sure there are none.
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("emulator panic", "method", r.Method,
				"url", r.URL.String(), "panic", fmt.Sprint(v))
			writeError(w, errf(500, youtubeapi.ReasonBackendError,
				fmt.Sprintf("emulator bug: %v", v)))
		}
	}()
	s.log.Debug("request", "method", r.Method, "url", r.URL.String())
	methods, ok := s.mux[r.URL.Path]
	if !ok {
		writeError(w, errNotFound)
		return
	}
	h, ok := methods[r.Method]
	if !ok {
		writeError(w, errf(http.StatusMethodNotAllowed, "methodNotAllowed",
			r.Method+" is not allowed on "+r.URL.Path))
		return
	}
	h(w, r)
}

// roll returns true with probability p.
func (s *Server) roll(p float64) bool {
	if p <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rnd.Float64() < p
}

// newID returns n random characters of YouTube's id alphabet.
func (s *Server) newID(n int) string {
	const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" +
		"0123456789-_"
	s.mu.Lock()
	defer s.mu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = abc[s.rnd.IntN(len(abc))]
	}
	return string(b)
}

// delay waits out the latency fault, or until the request is gone.
func (s *Server) delay(ctx context.Context) {
	d := s.Faults().Latency.Duration
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// authenticate returns the channel of the request's bearer token.
func (s *Server) authenticate(r *http.Request) (*channelState, *apiError) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return nil, errAuth
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.tokens[tok]
	if !ok {
		return nil, errf(http.StatusUnauthorized, youtubeapi.ReasonAuthError,
			"Invalid Credentials")
	}
	return c, nil
}

// call runs one quota-charged API method for an authenticated channel:
// latency, quota reservation, injected faults, the method itself, then
// the quota settled by how it ended. fn writes its own success answer
// and returns nil, or returns the error to answer.
func (s *Server) call(w http.ResponseWriter, r *http.Request, method string,
	fn func(c *channelState, now time.Time) *apiError) {
	s.delay(r.Context())
	c, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	now := s.now()
	l := s.ledger[c.project.ID]
	if cost, err := l.Model().Cost(method); err == nil &&
		s.Faults().exhausted(c.project.ID, cost.Bucket) {
		_ = l.Exhaust(r.Context(), cost.Bucket, now) // memory: no error
	}
	res, err := l.Reserve(r.Context(), method, now)
	switch {
	case errors.Is(err, quota.ErrExhausted):
		writeError(w, errQuota)
		return
	case err != nil:
		writeError(w, errf(500, youtubeapi.ReasonBackendError, err.Error()))
		return
	}
	f := s.Faults()
	switch {
	case s.roll(f.RateLimitRate):
		aerr = errRate
	case s.roll(f.ServerErrorRate):
		aerr = errBackend
	default:
		aerr = fn(c, now)
	}
	o := youtubeapi.Success
	if aerr != nil {
		o = aerr.outcome()
		writeError(w, aerr)
	}
	_, _ = l.Settle(context.WithoutCancel(r.Context()), res, o, now)
}

// readJSONBody reads at most 1 MiB of r's body.
func readJSONBody(r *http.Request) ([]byte, *apiError) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
	if err != nil {
		return nil, badRequest("reading the request body: " + err.Error())
	}
	if len(b) > 1<<20 {
		return nil, badRequest("the request body is over 1 MiB")
	}
	return b, nil
}

// parts returns the part parameter as a set; part is required.
func parts(r *http.Request) (map[string]bool, *apiError) {
	set := map[string]bool{}
	for _, v := range r.URL.Query()["part"] {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				set[p] = true
			}
		}
	}
	if len(set) == 0 {
		return nil, errf(http.StatusBadRequest, "required",
			"Required parameter: part")
	}
	return set, nil
}
