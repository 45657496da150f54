package scalability

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/scalability/usl"
)

// Record names this package reads from a run's records file (see the
// package documentation for units).
const (
	PrefixRTF    = "rtf/"                   // rtf/<profile>/<input>
	PrefixCPU    = "cpu-sec-per-media-sec/" // cpu-sec-per-media-sec/<profile>/<input>
	PrefixBytes  = "output-bytes-per-media-sec/"
	PrefixDB     = "db/"     // db/<store>/ops-at-slo
	PrefixDBLoad = "dbload/" // dbload/<store>/videos-per-second-at-slo
	PrefixGPU    = "gpu/"    // gpu/<card>/encode-fps, gpu/<card>/decode-fps
	// PrefixUSL names sweep points: usl/<store>/<op> with the Note
	// starting "concurrency=N" (performance/dbload), or
	// usl/<resource>/<N>.
	PrefixUSL = "usl/"
)

// Figure is a number with where it came from.
type Figure struct {
	Value  float64
	Source record.Source
	// From names the record or data entry that gave the value.
	From string
}

// InputFigure is a figure measured on one reference input.
type InputFigure struct {
	Input string
	// Height is the input's frame height parsed from its name
	// ("code-1080p30"), 0 when the name does not say.
	Height int
	// Rung is the output height for a per-rung figure, 0 for the whole
	// ladder.
	Rung int
	Figure
}

// Measurements are the figures a run measured that the capacity and
// cost models use. Every map may be empty: what is missing falls back to
// the assumptions, with source config.
type Measurements struct {
	// CPUSecondsPerMediaSecond, by profile: CPU time (user + system, all
	// threads) to run the whole profile on CPUs, per second of media.
	CPUSecondsPerMediaSecond map[string][]InputFigure
	// OutputBytesPerMediaSecond, by profile: bytes written per second of
	// media, for the whole ladder (Rung 0) or one rung.
	OutputBytesPerMediaSecond map[string][]InputFigure
	// RTF, by profile: processing seconds per media second of one job.
	RTF map[string][]InputFigure
	// DBVideosPerSecond, by store ("postgres", "redis", "neo4j"): the
	// videos per second one instance serves within its latency SLO (the
	// store's whole per-video operation mix).
	DBVideosPerSecond map[string]Figure
	// DBOpsPerSecond, by store: operations per second one instance
	// serves within its SLO, used with the assumed operations per video
	// when DBVideosPerSecond has no figure.
	DBOpsPerSecond map[string]Figure
	// GPUEncodeFPS and GPUDecodeFPS, by card: 1080p H.264 frames per
	// second of the whole card, all engines together.
	GPUEncodeFPS map[string]Figure
	GPUDecodeFPS map[string]Figure
	// USL holds (concurrency, throughput) points by resource.
	USL map[string][]usl.Point
	// Notes says what was read and what was passed over.
	Notes []string
}

var inputShape = regexp.MustCompile(`-(\d+)p(\d+)$`)

// MeasurementsFromRecords picks the figures above out of records by
// name. It is tolerant: records it does not know are ignored, records
// with an unexpected unit or a not-measured verdict are passed over with
// a note, and of several records with one name the latest wins.
func MeasurementsFromRecords(recs []record.Record) Measurements {
	m := Measurements{
		CPUSecondsPerMediaSecond:  map[string][]InputFigure{},
		OutputBytesPerMediaSecond: map[string][]InputFigure{},
		RTF:                       map[string][]InputFigure{},
		DBVideosPerSecond:         map[string]Figure{},
		DBOpsPerSecond:            map[string]Figure{},
		GPUEncodeFPS:              map[string]Figure{},
		GPUDecodeFPS:              map[string]Figure{},
		USL:                       map[string][]usl.Point{},
	}
	latest := map[string]record.Record{}
	var order []string
	for _, r := range recs {
		if !known(r.Name) {
			continue
		}
		if r.Verdict == record.NotMeasured || r.Source == record.Config ||
			math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			m.note("passed over %s: %s, source %s", r.Name, r.Verdict, r.Source)
			continue
		}
		key := r.Name
		if strings.HasPrefix(r.Name, PrefixUSL) {
			key += "@" + concurrencyOf(r.Note)
		}
		prev, seen := latest[key]
		if !seen {
			order = append(order, key)
		}
		if !seen || !r.Time.Before(prev.Time) {
			latest[key] = r
		}
	}
	for _, key := range order {
		m.add(latest[key])
	}
	return m
}

var concurrencyNote = regexp.MustCompile(`^concurrency=([0-9.]+)`)

// concurrencyOf returns N of a Note starting "concurrency=N", else "".
func concurrencyOf(note string) string {
	if s := concurrencyNote.FindStringSubmatch(note); s != nil {
		return s[1]
	}
	return ""
}

func known(name string) bool {
	for _, p := range []string{PrefixRTF, PrefixCPU, PrefixBytes, PrefixDB, PrefixDBLoad,
		PrefixGPU, PrefixUSL} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func (m *Measurements) note(format string, args ...any) {
	m.Notes = append(m.Notes, fmt.Sprintf(format, args...))
}

func (m *Measurements) add(r record.Record) {
	parts := strings.Split(r.Name, "/")
	fig := Figure{Value: r.Value, Source: r.Source, From: "record " + r.Name}
	positive := func() bool {
		if r.Value > 0 {
			return true
		}
		m.note("passed over %s: %g is no capacity", r.Name, r.Value)
		return false
	}
	unit := func(ok ...string) bool {
		if slices.Contains(ok, r.Unit) {
			return true
		}
		m.note("passed over %s: unit %q, want one of %v", r.Name, r.Unit, ok)
		return false
	}
	inputFig := func(p []string) (string, InputFigure, bool) {
		if len(p) < 3 || len(p) > 4 || p[1] == "" || p[2] == "" {
			m.note("passed over %s: want <kind>/<profile>/<input>", r.Name)
			return "", InputFigure{}, false
		}
		f := InputFigure{Input: p[2], Figure: fig}
		if s := inputShape.FindStringSubmatch(p[2]); s != nil {
			f.Height, _ = strconv.Atoi(s[1])
		}
		if len(p) == 4 {
			// A rung label: "720p" or "720p-h264".
			label, _, _ := strings.Cut(p[3], "-")
			h, err := strconv.Atoi(strings.TrimSuffix(label, "p"))
			if err != nil || h <= 0 || !strings.HasSuffix(label, "p") {
				m.note("passed over %s: rung %q is not like 720p-h264", r.Name, p[3])
				return "", InputFigure{}, false
			}
			f.Rung = h
		}
		return p[1], f, true
	}
	switch {
	case strings.HasPrefix(r.Name, PrefixRTF):
		if len(parts) == 4 {
			return // rtf/<profile>/<input>/<stage>: one stage, not used here
		}
		if prof, f, ok := inputFig(parts); ok && unit("rtf") {
			m.RTF[prof] = append(m.RTF[prof], f)
		}
	case strings.HasPrefix(r.Name, PrefixCPU):
		if prof, f, ok := inputFig(parts); ok && f.Rung == 0 &&
			unit("s/s", "cpu-s/s", "vCPU-s/s") {
			m.CPUSecondsPerMediaSecond[prof] = append(m.CPUSecondsPerMediaSecond[prof], f)
		}
	case strings.HasPrefix(r.Name, PrefixBytes):
		if prof, f, ok := inputFig(parts); ok && unit("B/s") {
			m.OutputBytesPerMediaSecond[prof] = append(m.OutputBytesPerMediaSecond[prof], f)
		}
	case strings.HasPrefix(r.Name, PrefixDB):
		if len(parts) == 3 && parts[2] == "ops-at-slo" && positive() && unit("ops/s") {
			m.DBOpsPerSecond[parts[1]] = fig
		}
	case strings.HasPrefix(r.Name, PrefixDBLoad):
		if len(parts) == 3 && parts[2] == "videos-per-second-at-slo" && positive() &&
			unit("videos/s") {
			fig.From += " (" + firstClause(r.Note) + ")"
			m.DBVideosPerSecond[parts[1]] = fig
		}
	case strings.HasPrefix(r.Name, PrefixGPU):
		if len(parts) != 3 {
			return
		}
		card := strings.ToUpper(parts[1])
		switch parts[2] {
		case "encode-fps":
			if unit("frames/s", "fps") {
				m.GPUEncodeFPS[card] = fig
			}
		case "decode-fps":
			if unit("frames/s", "fps") {
				m.GPUDecodeFPS[card] = fig
			}
		}
	case strings.HasPrefix(r.Name, PrefixUSL):
		// usl/<store>/<op> with "concurrency=N" in the note, else
		// usl/<resource>/<N>.
		resource, conc := strings.TrimPrefix(r.Name, PrefixUSL), concurrencyOf(r.Note)
		if conc == "" && len(parts) == 3 {
			resource, conc = parts[1], parts[2]
		}
		n, err := strconv.ParseFloat(conc, 64)
		if err != nil || resource == "" {
			m.note("passed over %s: no concurrency in its name or note", r.Name)
			return
		}
		m.USL[resource] = append(m.USL[resource], usl.Point{Concurrency: n,
			Throughput: r.Value})
	}
}

func firstClause(note string) string {
	s, _, _ := strings.Cut(note, ";")
	return s
}

// pick chooses one figure out of per-input measurements: those at the
// source height when any, else all; the highest value (the costliest
// input, a conservative choice for capacity). It says which in From.
func pick(figs []InputFigure, height, rung int) (Figure, bool) {
	var sel []InputFigure
	for _, f := range figs {
		if f.Rung == rung {
			sel = append(sel, f)
		}
	}
	atHeight := slices.DeleteFunc(slices.Clone(sel), func(f InputFigure) bool {
		return f.Height != height
	})
	if len(atHeight) > 0 {
		sel = atHeight
	}
	if len(sel) == 0 {
		return Figure{}, false
	}
	hi := slices.MaxFunc(sel, func(a, b InputFigure) int { return cmpFloat(a.Value, b.Value) })
	lo := slices.MinFunc(sel, func(a, b InputFigure) int { return cmpFloat(a.Value, b.Value) })
	src := record.Measured
	for _, f := range sel {
		if f.Source != record.Measured {
			src = record.ModeledFromMeasured
		}
	}
	from := fmt.Sprintf("%s (the highest of %d inputs; lowest %.4g on %s)",
		hi.From, len(sel), lo.Value, lo.Input)
	if len(sel) == 1 {
		from = hi.From
	}
	return Figure{Value: hi.Value, Source: src, From: from}, true
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
