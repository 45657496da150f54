package scorecard

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
)

// fig is a record of target with verdict v, from machine "m1".
func fig(target, name string, v record.Verdict) record.Record {
	r := record.Judged(target, name, 1, "u", record.Lower, 2, record.Measured)
	r.Verdict = v
	r.Machine = "m1"
	r.Scale = "full"
	return r
}

// allPass returns one passing figure for every target.
func allPass() []record.Record {
	var recs []record.Record
	for _, id := range IDs {
		recs = append(recs, fig(id, id+"-figure", record.Pass))
	}
	return recs
}

func rowOf(t *testing.T, sc *Scorecard, id string) Row {
	t.Helper()
	for _, r := range sc.Rows {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("scorecard has no row %q", id)
	return Row{}
}

func TestRowVerdictIsTheWorst(t *testing.T) {
	const (
		P = record.Pass
		F = record.Fail
		N = record.NotMeasured
		I = record.Info
	)
	tests := []struct {
		name     string
		verdicts []record.Verdict
		want     record.Verdict
		first    record.Verdict // of the figures as shown
		reason   string
	}{
		{"one pass", []record.Verdict{P}, P, P, ""},
		{"pass and fail", []record.Verdict{P, F}, F, F, "failed: f1 = 1 u (want <= 2)"},
		{"pass and not measured", []record.Verdict{P, N}, N, N, "not measured: f1:"},
		{"fail beats not measured", []record.Verdict{N, F}, F, F, "failed: f1"},
		{"info only", []record.Verdict{I, I}, N, I, "2 supporting figure(s), none judged"},
		{"info beside pass", []record.Verdict{I, P}, P, P, ""},
		{"nothing", nil, N, "", "no figure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recs []record.Record
			for i, v := range tt.verdicts {
				recs = append(recs, fig(Speed, "f"+string(rune('0'+i)), v))
			}
			row := rowOf(t, Build(targets.Default(), recs, nil), Speed)
			if row.Verdict != tt.want {
				t.Errorf("verdict of %v = %s; want %s", tt.verdicts, row.Verdict, tt.want)
			}
			assert.Contains(t, row.Reason, tt.reason)
			assert.Len(t, row.Figures, len(tt.verdicts), "every figure is shown")
			if len(row.Figures) > 0 && row.Figures[0].Verdict != tt.first {
				t.Errorf("first figure is %s; want %s (the deciding one first)",
					row.Figures[0].Verdict, tt.first)
			}
		})
	}
}

func TestDecidingCategoryMustJudge(t *testing.T) {
	tests := []struct {
		pkg  string
		want record.Verdict
	}{
		{"performance/ffmpeg", record.Pass},
		{"performance", record.Pass},
		{"", record.Pass}, // unknown package: taken at its word
		{"costanalysis", record.NotMeasured},
		{"performancex", record.NotMeasured},
	}
	for _, tt := range tests {
		r := fig(Speed, "rtf", record.Pass)
		r.Package = tt.pkg
		row := rowOf(t, Build(targets.Default(), []record.Record{r}, nil), Speed)
		if row.Verdict != tt.want {
			t.Errorf("speed from package %q = %s; want %s", tt.pkg, row.Verdict, tt.want)
		}
	}
	r := fig(Volume, "db-videos-per-second", record.Pass)
	r.Package = "performance/dbload"
	pkgs := []Package{{Path: "simulation", Status: NotPresent}}
	row := rowOf(t, Build(targets.Default(), []record.Record{r}, pkgs), Volume)
	require.Equal(t, "not measured: simulation decides it and gave no verdict "+
		"(simulation is not present in this tree); passing figures from "+
		"performance/dbload: db-videos-per-second", row.Reason)

	// A failure counts wherever it comes from.
	r.Verdict = record.Fail
	row = rowOf(t, Build(targets.Default(), []record.Record{r}, pkgs), Volume)
	require.Equal(t, record.Fail, row.Verdict)
}

func TestOverallVerdict(t *testing.T) {
	tests := []struct {
		name   string
		change func([]record.Record) []record.Record
		want   record.Verdict
		counts [3]int // passed, failed, not measured
	}{
		{"every target passes", func(r []record.Record) []record.Record { return r },
			record.Pass, [3]int{8, 0, 0}},
		{"one fails", func(r []record.Record) []record.Record {
			r[2].Verdict = record.Fail
			return r
		}, record.Fail, [3]int{7, 1, 0}},
		{"one missing", func(r []record.Record) []record.Record { return r[1:] },
			record.NotMeasured, [3]int{7, 0, 1}},
		{"fail and missing", func(r []record.Record) []record.Record {
			r[3].Verdict = record.Fail
			return r[1:]
		}, record.Fail, [3]int{6, 1, 1}},
		{"no records", func([]record.Record) []record.Record { return nil },
			record.NotMeasured, [3]int{0, 0, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := Build(targets.Default(), tt.change(allPass()), nil)
			got := [3]int{sc.Passed, sc.Failed, sc.NotMeasured}
			if sc.Verdict != tt.want || got != tt.counts {
				t.Errorf("Build() = %s %v; want %s %v", sc.Verdict, got, tt.want, tt.counts)
			}
		})
	}
}

func TestRowsFollowDesignOrder(t *testing.T) {
	recs := allPass()
	slices.Reverse(recs)
	sc := Build(targets.Default(), recs, nil)
	var ids []string
	for _, r := range sc.Rows {
		ids = append(ids, r.ID)
	}
	require.Equal(t, IDs, ids)
	require.Equal(t, []string{"volume", "speed", "cluster", "storage", "network",
		"cost", "reliability", "youtube"}, IDs)
}

func TestNotMeasuredSaysWhy(t *testing.T) {
	tests := []struct {
		name string
		pkgs []Package
		want string
	}{
		{"outcomes unknown", nil,
			"performance would measure it (no package results known)"},
		{"category absent", []Package{{Path: "performance", Status: NotPresent}},
			"performance is not present in this tree"},
		{"not selected", []Package{{Path: "performance", Status: NotSelected}},
			"performance was not selected for this run (-only)"},
		{"skipped with reason", []Package{{Path: "performance/ffmpeg",
			Status: Skipped, Skips: []Skip{{"TestRTF",
				"ffmpeg not found: apt-get install ffmpeg"}}}},
			"performance/ffmpeg skipped: TestRTF: ffmpeg not found: apt-get install ffmpeg"},
		{"failed tests", []Package{{Path: "performance/ffmpeg", Status: Failed,
			Failures: []string{"TestA", "TestB", "TestC", "TestD"}}},
			"performance/ffmpeg failed: TestA, TestB, TestC and 1 more"},
		{"build failure", []Package{{Path: "performance", Status: Failed,
			Detail: "x.go:3:1: syntax error\nmore"}},
			"performance failed: x.go:3:1: syntax error"},
		{"interrupted", []Package{{Path: "performance/db", Status: NotFinished}},
			"performance/db did not finish"},
		{"ran without record", []Package{
			{Path: "performance/a", Status: Passed},
			{Path: "performance/b", Status: Passed, Skips: []Skip{{"TestGPU", "no GPU"}}},
			{Path: "performance/c", Status: NoTests}},
			"performance ran (2 package(s) passed) but wrote no speed record; " +
				"skipped there: TestGPU: no GPU"},
		{"one of several failed", []Package{
			{Path: "performance/a", Status: Passed},
			{Path: "performance/b", Status: Failed, Failures: []string{"TestX"}}},
			"performance/b failed: TestX"},
		{"no tests at all", []Package{{Path: "performance/c", Status: NoTests}},
			"performance has no tests (1 package(s))"},
		{"other category only", []Package{{Path: "costanalysis", Status: Passed}},
			"performance has no result in this run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := rowOf(t, Build(targets.Default(), nil, tt.pkgs), Speed)
			require.Equal(t, record.NotMeasured, row.Verdict)
			if !strings.Contains(row.Reason, tt.want) {
				t.Errorf("reason = %q; want it to contain %q", row.Reason, tt.want)
			}
		})
	}
}

func TestNotMeasuredNamesBrokenInputs(t *testing.T) {
	pkgs := []Package{
		{Path: "scalability", Status: Passed},
		{Path: "performance/ffmpeg", Status: Failed, Failures: []string{"TestBytes"}},
	}
	row := rowOf(t, Build(targets.Default(), nil, pkgs), Storage)
	require.Equal(t, "not measured: no figure; scalability ran (1 package(s) passed) "+
		"but wrote no storage record; input from performance/ffmpeg failed: TestBytes",
		row.Reason)
}

func TestWarnings(t *testing.T) {
	recs := allPass()
	recs[1].Machine = "m2"
	recs[2].Scale = "short"
	extra := fig("bandwidth", "x", record.Pass)
	support := fig("", "supporting", record.Info)
	sc := Build(targets.Default(), append(recs, extra, extra, support), nil)

	require.Equal(t, []string{"m1", "m2"}, sc.Machines)
	require.Len(t, sc.Warnings, 3)
	assert.Contains(t, sc.Warnings[0], `2 record(s) name unknown target "bandwidth"`)
	assert.Contains(t, sc.Warnings[1], "figures come from 2 machines (m1; m2)")
	assert.Contains(t, sc.Warnings[2], "different scales (full, short)")
	assert.Equal(t, record.Pass, sc.Verdict, "warnings change no verdict")

	two := []record.Record{recs[0], recs[1]}
	row := rowOf(t, Build(targets.Default(), two, nil), recs[0].Target)
	assert.False(t, row.MixedMachines())
	both := recs[1]
	both.Target = recs[0].Target
	row = rowOf(t, Build(targets.Default(), []record.Record{recs[0], both}, nil), recs[0].Target)
	assert.True(t, row.MixedMachines(), "row with figures from m1 and m2")
}

func TestDefinitionsUseConfig(t *testing.T) {
	cfg := targets.Default()
	cfg.Targets.Speed.MaxRTF = 1.5
	cfg.Targets.Cost.MaxUSDPerVideo = 0.05
	defs := Definitions(cfg)
	goals := make(map[string]string)
	for _, d := range defs {
		goals[d.ID] = d.Goal
		require.NotEmpty(t, d.Categories, d.ID)
	}
	assert.Equal(t, "RTF < 1.5 (processing seconds per media second)", goals[Speed])
	assert.Equal(t, "<= $0.05 per video", goals[Cost])
	assert.Equal(t, "10,000,000 videos/month (333,333/day), publish p99 <= 4h", goals[Volume])
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {0.5, "0.5"}, {1.23456, "1.2346"}, {2, "2"}, {0.999, "0.999"},
		{9999.5, "9999.5"}, {333333.3, "333,333"}, {1.5e12, "1.5e+12"},
		{0.00001234, "1.234e-05"}, {-3.25, "-3.25"}, {-12345, "-12,345"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.in); got != tt.want {
			t.Errorf("FormatValue(%v) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
