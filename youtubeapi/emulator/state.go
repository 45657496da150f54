package emulator

import (
	"context"
	"net/http"
	"sort"

	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// SessionInfo is what the emulator saw of one resumable upload session.
type SessionInfo struct {
	ID      string `json:"id"`
	Channel string `json:"channel"`
	// Requests counts requests on the session URL, Chunks those with
	// bytes, Interrupted those cut off before their last byte.
	Requests    int `json:"requests"`
	Chunks      int `json:"chunks"`
	Interrupted int `json:"interrupted"`
	// BytesReceived counts every body byte read, BytesRepeated those
	// already stored (duplicates), BytesDropped those of cut-off chunks
	// beyond the last whole granule; Committed is the stored size.
	BytesReceived int64 `json:"bytes_received"`
	BytesRepeated int64 `json:"bytes_repeated"`
	BytesDropped  int64 `json:"bytes_dropped"`
	Committed     int64 `json:"committed"`
	// Video is the id of the finished video, empty while uploading.
	Video string `json:"video,omitempty"`
}

// VideoInfo is a stored video as the emulator keeps it.
type VideoInfo struct {
	ID      string `json:"id"`
	Channel string `json:"channel"`
	Title   string `json:"title"`
	Privacy string `json:"privacy"`
	// Size is the media's length in bytes and SHA256 its hex digest.
	Size           int64    `json:"size"`
	SHA256         string   `json:"sha256"`
	ThumbnailBytes int64    `json:"thumbnail_bytes"`
	Playlists      []string `json:"playlists,omitempty"`
}

// Session returns what the emulator saw of session id.
func (s *Server) Session(id string) (SessionInfo, bool) {
	s.mu.Lock()
	ss, ok := s.sessions[id]
	s.mu.Unlock()
	if !ok {
		return SessionInfo{}, false
	}
	ss.statMu.Lock()
	defer ss.statMu.Unlock()
	return ss.stats, true
}

// Sessions returns every session, ordered by id.
func (s *Server) Sessions() []SessionInfo {
	s.mu.Lock()
	ids := make([]string, 0, len(s.sessions))
	for id := range s.sessions {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	sort.Strings(ids)
	out := make([]SessionInfo, 0, len(ids))
	for _, id := range ids {
		if si, ok := s.Session(id); ok {
			out = append(out, si)
		}
	}
	return out
}

// Videos returns the stored videos in the order they were created.
func (s *Server) Videos() []VideoInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]VideoInfo, 0, len(s.order))
	for _, id := range s.order {
		v := s.videos[id]
		out = append(out, VideoInfo{ID: id, Channel: v.channel,
			Title: v.res.Snippet.Title, Privacy: v.res.Status.PrivacyStatus,
			Size: v.size, SHA256: v.sha256, ThumbnailBytes: v.thumbnail,
			Playlists: append([]string(nil), v.playlists...)})
	}
	return out
}

// Usage returns project's quota buckets today, by the server's clock.
func (s *Server) Usage(project string) ([]quota.Usage, bool) {
	l, ok := s.ledger[project]
	if !ok {
		return nil, false
	}
	u, err := l.Usage(context.Background(), s.now())
	return u, err == nil // a memory store does not fail
}

// ChannelState is a channel's rolling cap as the server sees it.
type ChannelState struct {
	ID      string `json:"id"`
	Project string `json:"project"`
	// Uploads24h counts inserts in the last 24 hours; Cap is the cap in
	// force (0 none).
	Uploads24h int `json:"uploads_24h"`
	Cap        int `json:"cap"`
}

// State is the server's state for GET /emulator/state.
type State struct {
	Projects []ProjectState `json:"projects"`
	Channels []ChannelState `json:"channels"`
	Sessions []SessionInfo  `json:"sessions"`
	Videos   []VideoInfo    `json:"videos"`
	Faults   Faults         `json:"faults"`
}

// ProjectState is one project's quota today.
type ProjectState struct {
	ID      string        `json:"id"`
	Buckets []quota.Usage `json:"buckets"`
}

// State returns the server's whole state.
func (s *Server) State() State {
	st := State{Sessions: s.Sessions(), Videos: s.Videos(),
		Faults: s.Faults()}
	for _, p := range s.cfg.Projects {
		u, _ := s.Usage(p.ID)
		st.Projects = append(st.Projects, ProjectState{ID: p.ID, Buckets: u})
	}
	now := s.now()
	s.mu.Lock()
	for _, p := range s.cfg.Projects {
		for _, c := range p.Channels {
			cs := s.channels[c.ID]
			limit := cs.UploadsPerDay
			if s.faults.ChannelCap > 0 {
				limit = s.faults.ChannelCap
			}
			st.Channels = append(st.Channels, ChannelState{ID: c.ID,
				Project: p.ID, Uploads24h: cs.inserts.Count(now), Cap: limit})
		}
	}
	s.mu.Unlock()
	return st
}

func (s *Server) getState(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.State())
}
