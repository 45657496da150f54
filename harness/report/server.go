package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path"
	"slices"

	"github.com/scaletest/scaletest/harness/targets"
)

// Server serves the dashboard and its JSON API over a runs directory. It
// only reads: GET and HEAD, every other method is answered 405. Files are
// opened through an os.Root on the runs directory, so no name, encoded
// or not, and no symbolic link can reach outside it.
//
// Routes:
//
//	/scale-dashboard                       the newest complete run, trends, baselines, runs
//	/scale-dashboard/runs/{id}             the same page around run id
//	/scale-dashboard/runs/{id}/files/{f}   a file of the run (RunFiles only)
//	/api/runs                              every run: id, start, scale, verdict, problems
//	/api/runs/{id}                         manifest, scorecard, problems, files
//	/api/runs/{id}/records                 the run's records
//	/api/runs/{id}/scorecard               the run's scorecard
//	/api/runs/{id}/bench                   the run's benchmark series
//	/api/scorecard/latest                  the newest complete run's scorecard
//	/api/trends                            every figure across runs
//	/api/baselines                         baselines against the newest benchmarks
type Server struct {
	runsDir      string
	baselinesDir string
	config       *targets.Config
	log          *slog.Logger
}

// NewServer returns a server over runsDir (which need not exist yet).
// baselinesDir may be empty or absent. cfg gives the goals of runs that
// carry no scale.yaml of their own. log receives one line per failed
// request; nil discards.
func NewServer(runsDir, baselinesDir string, cfg *targets.Config, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{runsDir: runsDir, baselinesDir: baselinesDir, config: cfg, log: log}
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/scale-dashboard", http.StatusFound)
	})
	mux.HandleFunc("GET /scale-dashboard", s.dashboard)
	mux.HandleFunc("GET /scale-dashboard/runs/{id}", s.dashboard)
	mux.HandleFunc("GET /scale-dashboard/runs/{id}/files/{file}", s.file)
	mux.HandleFunc("GET /api/runs", s.apiRuns)
	mux.HandleFunc("GET /api/runs/{id}", s.apiRun)
	mux.HandleFunc("GET /api/runs/{id}/{part}", s.apiRunPart)
	mux.HandleFunc("GET /api/scorecard/latest", s.apiLatest)
	mux.HandleFunc("GET /api/trends", s.apiTrends)
	mux.HandleFunc("GET /api/baselines", s.apiBaselines)
	return readOnly(mux)
}

// readOnly answers every method but GET and HEAD with 405.
func readOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "read-only: GET and HEAD only", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// errNoRun is a run id that does not name a run directory.
var errNoRun = errors.New("no such run")

// open returns the runs directory as a file system confined to it.
func (s *Server) open() (fs.FS, func(), error) {
	root, err := os.OpenRoot(s.runsDir)
	if err != nil {
		return nil, nil, fmt.Errorf("open runs directory: %w", err)
	}
	return root.FS(), func() { root.Close() }, nil
}

// loadAll reads every run, oldest first.
func (s *Server) loadAll() ([]*Run, error) {
	fsys, done, err := s.open()
	if err != nil {
		return nil, err
	}
	defer done()
	ids, err := ListRuns(fsys)
	if err != nil {
		return nil, err
	}
	runs := make([]*Run, len(ids))
	for i, id := range ids {
		runs[i] = LoadRun(fsys, id, s.config)
	}
	return runs, nil
}

// loadOne reads run id; errNoRun when id names no run directory.
func (s *Server) loadOne(id string) (*Run, error) {
	if !ValidID(id) {
		return nil, errNoRun
	}
	fsys, done, err := s.open()
	if err != nil {
		return nil, err
	}
	defer done()
	ids, err := ListRuns(fsys)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(ids, id) {
		return nil, errNoRun
	}
	return LoadRun(fsys, id, s.config), nil
}

func (s *Server) baselines() *Baselines {
	if s.baselinesDir == "" {
		return nil
	}
	root, err := os.OpenRoot(s.baselinesDir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &Baselines{}
		}
		return &Baselines{Problems: []string{err.Error()}}
	}
	defer root.Close()
	return LoadBaselines(root.FS())
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	d := &Dashboard{RunsDir: s.runsDir, Baselines: s.baselines()}
	runs, err := s.loadAll()
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		d.ListError = err.Error()
		s.log.Error("dashboard", "err", err)
	}
	d.Runs = runs
	if id := r.PathValue("id"); id != "" {
		for _, run := range runs {
			if run.ID == id {
				d.Current = run
			}
		}
		if d.Current == nil {
			http.Error(w, fmt.Sprintf("no run %q in %s", id, s.runsDir), http.StatusNotFound)
			return
		}
	} else {
		d.Current = Latest(runs)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := d.WriteHTML(w); err != nil {
		s.log.Error("dashboard", "err", err)
	}
}

func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	id, name := r.PathValue("id"), r.PathValue("file")
	if !slices.Contains(RunFiles, name) || !ValidID(id) {
		http.NotFound(w, r)
		return
	}
	fsys, done, err := s.open()
	if err != nil {
		s.fail(w, err)
		return
	}
	defer done()
	data, err := fs.ReadFile(fsys, path.Join(id, name))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			http.NotFound(w, r)
			return
		}
		s.fail(w, err)
		return
	}
	ctype := "text/plain; charset=utf-8"
	switch path.Ext(name) {
	case ".html":
		ctype = "text/html; charset=utf-8"
		// The report is ours, but a run directory is only as trusted as
		// whoever wrote it: no scripts, no outside requests.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; "+
			"style-src 'unsafe-inline'; img-src data:")
	case ".json":
		ctype = mime.TypeByExtension(".json")
	}
	w.Header().Set("Content-Type", ctype)
	w.Write(data)
}

// runSummary is a run in /api/runs.
type runSummary struct {
	ID       string   `json:"id"`
	Start    string   `json:"start,omitempty"`
	Scale    string   `json:"scale,omitempty"`
	Verdict  string   `json:"verdict"`
	Complete bool     `json:"complete"`
	ExitCode *int     `json:"exit_code,omitempty"`
	Problems []string `json:"problems,omitempty"`
}

func (s *Server) apiRuns(w http.ResponseWriter, r *http.Request) {
	runs, err := s.loadAll()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.fail(w, err)
		return
	}
	out := []runSummary{}
	for _, run := range runs {
		rs := runSummary{ID: run.ID, Verdict: string(run.Scorecard.Verdict),
			Complete: run.Complete(), Problems: run.Problems}
		if t := run.Start(); !t.IsZero() {
			rs.Start = t.UTC().Format("2006-01-02T15:04:05Z")
		}
		if m := run.Manifest; m != nil {
			rs.Scale = m.Scale
			rs.ExitCode = &m.ExitCode
		}
		out = append(out, rs)
	}
	s.json(w, out)
}

func (s *Server) apiRun(w http.ResponseWriter, r *http.Request) {
	run, ok := s.runFor(w, r)
	if ok {
		s.json(w, run)
	}
}

func (s *Server) apiRunPart(w http.ResponseWriter, r *http.Request) {
	part := r.PathValue("part")
	if !slices.Contains([]string{"records", "scorecard", "bench"}, part) {
		http.NotFound(w, r)
		return
	}
	run, ok := s.runFor(w, r)
	if !ok {
		return
	}
	switch part {
	case "records":
		s.json(w, nonNil(run.Records))
	case "scorecard":
		s.json(w, run.Scorecard)
	case "bench":
		s.json(w, nonNil(run.Bench))
	}
}

func (s *Server) runFor(w http.ResponseWriter, r *http.Request) (*Run, bool) {
	run, err := s.loadOne(r.PathValue("id"))
	switch {
	case errors.Is(err, errNoRun):
		http.Error(w, fmt.Sprintf("no run %q", r.PathValue("id")), http.StatusNotFound)
		return nil, false
	case err != nil:
		s.fail(w, err)
		return nil, false
	}
	return run, true
}

func (s *Server) apiLatest(w http.ResponseWriter, r *http.Request) {
	runs, err := s.loadAll()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.fail(w, err)
		return
	}
	latest := Latest(runs)
	if latest == nil {
		http.Error(w, "no runs yet", http.StatusNotFound)
		return
	}
	s.json(w, struct {
		Run       string   `json:"run"`
		Complete  bool     `json:"complete"`
		Problems  []string `json:"problems,omitempty"`
		Scorecard any      `json:"scorecard"`
	}{latest.ID, latest.Complete(), latest.Problems, latest.Scorecard})
}

func (s *Server) apiTrends(w http.ResponseWriter, r *http.Request) {
	runs, err := s.loadAll()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.fail(w, err)
		return
	}
	s.json(w, nonNil(Trends(runs)))
}

func (s *Server) apiBaselines(w http.ResponseWriter, r *http.Request) {
	b := s.baselines()
	if b == nil {
		b = &Baselines{}
	}
	runs, _ := s.loadAll()
	against := newestWithBench(runs)
	class := ClassOf(against)
	out := struct {
		Files       []string     `json:"files"`
		Classes     []string     `json:"classes"`
		Problems    []string     `json:"problems,omitempty"`
		Against     string       `json:"against,omitempty"`
		Class       string       `json:"class"`
		Comparisons []Comparison `json:"comparisons"`
	}{Files: nonNil(b.Files()), Classes: nonNil(b.Classes()), Problems: b.Problems,
		Class: class, Comparisons: nonNil(b.Compare(against, class))}
	if against != nil {
		out.Against = against.ID
	}
	s.json(w, out)
}

func (s *Server) json(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		s.log.Error("encode response", "err", err)
	}
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	s.log.Error("request", "err", err)
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
