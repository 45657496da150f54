package upload

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Session is a resumable upload session as the uploader remembers it.
type Session struct {
	// URL is the session URL the server gave.
	URL string `json:"url"`
	// Size is the media's length in bytes; a session is only reused for
	// media of the same size.
	Size    int64     `json:"size"`
	Created time.Time `json:"created"`
}

// SessionStore keeps sessions by upload key across process restarts.
type SessionStore interface {
	// Load returns key's session; ok is false when there is none.
	Load(key string) (s Session, ok bool, err error)
	// Save stores key's session, durably before it returns.
	Save(key string, s Session) error
	// Delete forgets key's session; deleting a missing one is no error.
	Delete(key string) error
}

// FileStore is a SessionStore of one small JSON file per key in Dir. It is
// safe for concurrent use by several processes on distinct keys.
type FileStore struct {
	Dir string
}

func (f FileStore) path(key string) string {
	h := sha256.Sum256([]byte(key))
	return filepath.Join(f.Dir, hex.EncodeToString(h[:16])+".json")
}

// Load implements SessionStore.
func (f FileStore) Load(key string) (Session, bool, error) {
	b, err := os.ReadFile(f.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return Session{}, false, nil
	}
	if err != nil {
		return Session{}, false, fmt.Errorf("load session %q: %w", key, err)
	}
	var s Session
	if err := json.Unmarshal(b, &s); err != nil {
		return Session{}, false, fmt.Errorf("load session %q: %w", key, err)
	}
	return s, true, nil
}

// Save implements SessionStore: it writes a temporary file, syncs it and
// renames it into place, so a crash leaves the old session or the new one.
func (f FileStore) Save(key string, s Session) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("save session %q: %w", key, err)
	}
	if err := os.MkdirAll(f.Dir, 0o755); err != nil {
		return fmt.Errorf("save session %q: %w", key, err)
	}
	tmp, err := os.CreateTemp(f.Dir, ".session-*")
	if err != nil {
		return fmt.Errorf("save session %q: %w", key, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename: no-op
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.path(key))
	}
	if err != nil {
		return fmt.Errorf("save session %q: %w", key, err)
	}
	return nil
}

// Delete implements SessionStore.
func (f FileStore) Delete(key string) error {
	err := os.Remove(f.path(key))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("delete session %q: %w", key, err)
	}
	return nil
}

// MemStore is a SessionStore in memory: it survives a new Uploader, not a
// new process.
type MemStore struct {
	mu sync.Mutex
	m  map[string]Session
}

// Load implements SessionStore.
func (m *MemStore) Load(key string) (Session, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.m[key]
	return s, ok, nil
}

// Save implements SessionStore.
func (m *MemStore) Save(key string, s Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]Session{}
	}
	m.m[key] = s
	return nil
}

// Delete implements SessionStore.
func (m *MemStore) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, key)
	return nil
}
