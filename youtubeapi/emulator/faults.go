package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// Faults are the emulator's knobs for failure. The zero Faults is a
// healthy server.
type Faults struct {
	// Latency is added before every answer.
	Latency Duration `json:"latency"`
	// ServerErrorRate is the share of API calls and upload chunks, 0 to
	// 1, answered 503 backendError. A chunk is stored before its failure
	// is answered, so the client's retry repeats stored bytes.
	ServerErrorRate float64 `json:"server_error_rate"`
	// RateLimitRate is the share of API calls answered 403
	// rateLimitExceeded.
	RateLimitRate float64 `json:"rate_limit_rate"`
	// Exhaust lists buckets to report spent, as "project/bucket" or
	// "*/bucket" for every project ("*/uploads").
	Exhaust []string `json:"exhaust"`
	// ChannelCap, when above 0, replaces every channel's rolling 24-hour
	// cap.
	ChannelCap int `json:"channel_cap"`
}

// Duration is a time.Duration that reads and writes JSON as "1.5s".
type Duration struct{ time.Duration }

// MarshalJSON writes d as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON reads a Go duration string ("250ms") or nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration %q: %w", s, err)
		}
		d.Duration = v
		return nil
	}
	var ns int64
	if err := json.Unmarshal(b, &ns); err != nil {
		return fmt.Errorf("duration %s: want \"250ms\" or nanoseconds", b)
	}
	d.Duration = time.Duration(ns)
	return nil
}

func (f Faults) validate() error {
	for _, r := range []float64{f.ServerErrorRate, f.RateLimitRate} {
		if !(r >= 0 && r <= 1) {
			return fmt.Errorf("faults: rate %v: want 0 to 1", r)
		}
	}
	if f.Latency.Duration < 0 || f.ChannelCap < 0 {
		return fmt.Errorf("faults: latency %v and channel cap %d must not "+
			"be negative", f.Latency, f.ChannelCap)
	}
	return nil
}

func (f Faults) exhausted(project string, b quota.Bucket) bool {
	return slices.Contains(f.Exhaust, project+"/"+string(b)) ||
		slices.Contains(f.Exhaust, "*/"+string(b))
}

// SetFaults replaces the server's faults.
func (s *Server) SetFaults(f Faults) error {
	if err := f.validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	return nil
}

// Faults returns the server's faults.
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	f.Exhaust = slices.Clone(f.Exhaust)
	return f
}

func (s *Server) getFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Faults())
}

func (s *Server) putFaults(w http.ResponseWriter, r *http.Request) {
	b, aerr := readJSONBody(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	var f Faults
	if err := json.Unmarshal(b, &f); err != nil {
		writeError(w, badRequest("faults: "+err.Error()))
		return
	}
	if err := s.SetFaults(f); err != nil {
		writeError(w, badRequest(err.Error()))
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// Exhaust marks bucket b of project spent for the rest of the Pacific day.
func (s *Server) Exhaust(project string, b quota.Bucket) error {
	l, ok := s.ledger[project]
	if !ok {
		return fmt.Errorf("exhaust: unknown project %q", project)
	}
	return l.Exhaust(context.Background(), b, s.now()) // a memory store
}

func (s *Server) postExhaust(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	err := s.Exhaust(q.Get("project"), quota.Bucket(q.Get("bucket")))
	if err != nil {
		writeError(w, badRequest(err.Error()))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) postExpire(w http.ResponseWriter, r *http.Request) {
	if !s.ExpireSession(r.URL.Query().Get("upload_id")) {
		writeError(w, errSession)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
