package quota

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModelsLoad(t *testing.T) {
	ms, err := parseModels(costsJSON)
	require.NoError(t, err)
	require.NotEmpty(t, ms)
	assert.Empty(t, ms[0].From, "oldest model must be open at the start")
	assert.Empty(t, ms[len(ms)-1].Until, "newest model must be open at the end")
}

func TestParseModelsRejects(t *testing.T) {
	tests := []struct {
		name, json string
	}{
		{"unknown field", `{"models":[{"id":"x","bogus":1}]}`},
		{"bucket missing", `{"models":[{"id":"x","buckets":{},` +
			`"invalid_request_units":1,` +
			`"methods":{"videos.insert":{"bucket":"uploads","units":1}}}]}`},
		{"zero cost", `{"models":[{"id":"x","buckets":{"general":` +
			`{"units_per_day":1}},"invalid_request_units":1,` +
			`"methods":{"videos.list":{"bucket":"general","units":0}}}]}`},
		{"gap", `{"models":[` +
			`{"id":"a","until":"2025-01-01","buckets":{},"invalid_request_units":1},` +
			`{"id":"b","from":"2025-02-01","buckets":{},"invalid_request_units":1}]}`},
		{"bad date", `{"models":[{"id":"x","from":"June","buckets":{},` +
			`"invalid_request_units":1}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseModels([]byte(tt.json)); err == nil {
				t.Errorf("parseModels(%s) = nil error; want one", tt.json)
			}
		})
	}
}

func TestInsertCostByModel(t *testing.T) {
	// FACTS.md: the three periods of videos.insert.
	tests := []struct {
		day    string // a Pacific date
		model  string
		bucket Bucket
		units  Units
	}{
		{"2025-12-03", "before-2025-12-04", General, 1600},
		{"2025-12-04", "2025-12-04", General, 100},
		{"2026-05-31", "2025-12-04", General, 100},
		{"2026-06-01", "2026-06-01", Uploads, 1},
		{"2027-01-01", "2026-06-01", Uploads, 1},
	}
	for _, tt := range tests {
		d, err := time.ParseInLocation(time.DateOnly, tt.day, Pacific())
		require.NoError(t, err)
		at := d.Add(30 * time.Minute) // 00:30 Pacific, 08:30 UTC or so
		m := InForce(at)
		if m.ID != tt.model {
			t.Errorf("InForce(%s).ID = %s; want %s", at, m.ID, tt.model)
			continue
		}
		c, err := m.Cost("videos.insert")
		require.NoError(t, err)
		if c.Bucket != tt.bucket || c.Units != tt.units {
			t.Errorf("model %s: videos.insert = %d from %s; want %d from %s",
				m.ID, c.Units, c.Bucket, tt.units, tt.bucket)
		}
	}
}

func TestGeneralCosts(t *testing.T) {
	m, err := Lookup("2026-06-01")
	require.NoError(t, err)
	want := map[string]Units{ // FACTS.md, other costs
		"videos.update": 50, "videos.list": 1, "thumbnails.set": 50,
		"playlistItems.insert": 50, "captions.insert": 400,
		"captions.update": 450, "channels.list": 1,
	}
	for method, units := range want {
		c, err := m.Cost(method)
		require.NoError(t, err)
		if c.Units != units || c.Bucket != General {
			t.Errorf("Cost(%s) = %d from %s; want %d from general", method,
				c.Units, c.Bucket, units)
		}
	}
	if c, _ := m.Cost("search.list"); c.Bucket != Search || c.Units != 1 {
		t.Errorf("Cost(search.list) = %+v; want 1 from search", c)
	}
	if _, err := m.Cost("videos.rate"); !errors.Is(err, ErrUnknownMethod) {
		t.Errorf("Cost(videos.rate) error = %v; want ErrUnknownMethod", err)
	}
	if _, err := Lookup("1999-01-01"); !errors.Is(err, ErrUnknownModel) {
		t.Errorf("Lookup(1999-01-01) error = %v; want ErrUnknownModel", err)
	}
}
