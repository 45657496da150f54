package quota

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"
)

// Units is an amount of YouTube API quota, in quota units. In a bucket
// that counts calls (uploads and search since 2026-06-01) one call is one
// unit.
type Units int64

// Bucket names a quota pool of a project.
type Bucket string

// The buckets of the models in costs.json.
const (
	Uploads Bucket = "uploads" // videos.insert since 2026-06-01
	Search  Bucket = "search"  // search.list since 2026-06-01
	General Bucket = "general" // everything else; every call before
)

// Cost is what one call of a method takes from which bucket.
type Cost struct {
	Bucket Bucket `json:"bucket"`
	Units  Units  `json:"units"`
}

// BucketLimit is a bucket's default daily limit under a model.
type BucketLimit struct {
	UnitsPerDay Units `json:"units_per_day"`
}

// Model is one dated cost table: which bucket each method draws from and
// how much, and the default size of each bucket.
type Model struct {
	// ID names the model: the date it took effect ("2026-06-01") or, for
	// the oldest, "before-2025-12-04".
	ID string `json:"id"`
	// From and Until bound the days it was in force, Until exclusive;
	// empty is unbounded. Dates are YYYY-MM-DD, Pacific days.
	From  string `json:"from"`
	Until string `json:"until"`
	// Summary says in one line what distinguishes the model.
	Summary string                 `json:"summary"`
	Buckets map[Bucket]BucketLimit `json:"buckets"`
	// InvalidRequestUnits is what a rejected call costs at least.
	InvalidRequestUnits Units           `json:"invalid_request_units"`
	Methods             map[string]Cost `json:"methods"`
	Notes               string          `json:"notes"`
}

// ErrUnknownMethod is returned for a method that has no cost in a model.
var ErrUnknownMethod = errors.New("unknown API method")

// ErrUnknownModel is returned by Lookup for a model id not in costs.json.
var ErrUnknownModel = errors.New("unknown quota model")

// Cost returns the bucket and units of one call of method, such as
// "videos.insert".
func (m *Model) Cost(method string) (Cost, error) {
	c, ok := m.Methods[method]
	if !ok {
		return Cost{}, fmt.Errorf("quota model %s: %w %q", m.ID,
			ErrUnknownMethod, method)
	}
	return c, nil
}

// BucketNames returns the model's buckets in a stable order.
func (m *Model) BucketNames() []Bucket {
	out := make([]Bucket, 0, len(m.Buckets))
	for b := range m.Buckets {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Has reports whether the model has bucket b.
func (m *Model) Has(b Bucket) bool {
	_, ok := m.Buckets[b]
	return ok
}

//go:embed costs.json
var costsJSON []byte

type costFile struct {
	About  string  `json:"about"`
	Models []Model `json:"models"`
}

var models = mustLoad(costsJSON)

func mustLoad(data []byte) []*Model {
	ms, err := parseModels(data)
	if err != nil {
		panic(err) // costs.json is embedded; TestModels guards it
	}
	return ms
}

// parseModels decodes and validates a cost file; models come back
// ordered by From.
func parseModels(data []byte) ([]*Model, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f costFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode quota models: %w", err)
	}
	var errs []error
	out := make([]*Model, 0, len(f.Models))
	for i := range f.Models {
		m := &f.Models[i]
		errs = append(errs, m.validate()...)
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].From < out[j].From })
	for i := 1; i < len(out); i++ {
		if out[i-1].Until != out[i].From {
			errs = append(errs, fmt.Errorf("quota model %s ends %q but %s "+
				"starts %q", out[i-1].ID, out[i-1].Until, out[i].ID,
				out[i].From))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func (m *Model) validate() []error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("quota model %q: "+format,
			append([]any{m.ID}, a...)...))
	}
	if m.ID == "" {
		bad("id must not be empty")
	}
	for _, d := range []string{m.From, m.Until} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			bad("date %q: want YYYY-MM-DD", d)
		}
	}
	for b, l := range m.Buckets {
		if l.UnitsPerDay <= 0 {
			bad("bucket %s: units_per_day must be above 0, got %d", b,
				l.UnitsPerDay)
		}
	}
	if m.InvalidRequestUnits < 1 {
		bad("invalid_request_units must be at least 1, got %d",
			m.InvalidRequestUnits)
	}
	for name, c := range m.Methods {
		if !m.Has(c.Bucket) {
			bad("method %s: no bucket %q", name, c.Bucket)
		}
		if c.Units <= 0 {
			bad("method %s: units must be above 0, got %d", name, c.Units)
		}
	}
	return errs
}

// Models returns every model in costs.json, oldest first. The caller must
// not modify them.
func Models() []*Model { return models }

// Lookup returns the model with id, such as "2026-06-01".
func Lookup(id string) (*Model, error) {
	for _, m := range models {
		if m.ID == id {
			return m, nil
		}
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownModel, id)
}

// InForce returns the model in force on the Pacific day of t.
func InForce(t time.Time) *Model {
	day := Day(t)
	for _, m := range models {
		if (m.From == "" || day >= m.From) &&
			(m.Until == "" || day < m.Until) {
			return m
		}
	}
	return models[len(models)-1] // parseModels checks the ranges meet
}
