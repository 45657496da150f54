package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
)

func TestLoadRunComplete(t *testing.T) {
	dir := fixtureRuns(t)
	r := LoadRun(os.DirFS(dir), "20261202T100000Z", targets.Default())
	require.Empty(t, r.Problems)
	require.True(t, r.Complete())
	require.NotNil(t, r.Manifest)
	assert.Len(t, r.Records, 9)
	assert.Equal(t, record.Fail, r.Scorecard.Verdict, "cluster needs 1240 GPUs > 1000")
	require.Len(t, r.Bench, 2, "sec/op and videos/s")
	assert.Equal(t, "sec/op", r.Bench[0].Unit)
	assert.InDelta(t, 0.101, r.Bench[0].Median(), 1e-9)
	assert.Equal(t, 1, r.Bench[1].Better, "videos/s declared better=higher")
	assert.Equal(t, []string{ManifestFile, ConfigFile, RecordsFile, BenchFile}, r.Files)
}

func TestLoadRunBroken(t *testing.T) {
	dir := fixtureRuns(t)
	r := LoadRun(os.DirFS(dir), "20261203T100000Z", targets.Default())
	require.False(t, r.Complete())
	require.Nil(t, r.Manifest)
	require.Len(t, r.Records, 1, "the good line survives the truncated one")
	problems := strings.Join(r.Problems, "\n")
	for _, want := range []string{
		"run.json is missing: the run is still going, or it was stopped",
		"records.jsonl:2: unexpected EOF",
		"bench.txt:6: parsing iteration count",
	} {
		assert.Contains(t, problems, want)
	}
	assert.Equal(t, record.NotMeasured, r.Scorecard.Verdict)
}

func TestLoadRunMissingFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "20261201T000000Z"), 0o755))
	r := LoadRun(os.DirFS(dir), "20261201T000000Z", targets.Default())
	problems := strings.Join(r.Problems, "\n")
	assert.Contains(t, problems, "records.jsonl is missing")
	assert.Contains(t, problems, "scale.yaml is missing")
	assert.Len(t, r.Scorecard.Rows, 8)

	r = LoadRun(os.DirFS(dir), "..", targets.Default())
	assert.Equal(t, []string{`".." is not a run id`}, r.Problems)
}

func TestListRuns(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	for _, d := range []string{"20261202T000000Z", "20261201T000000Z", ".hidden", "-x"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, d), 0o755))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644))
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "20261203T000000Z")))
	ids, err := ListRuns(os.DirFS(dir))
	require.NoError(t, err)
	require.Equal(t, []string{"20261201T000000Z", "20261202T000000Z"}, ids)
}

func TestValidID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"20261203T170102Z", true}, {"run-1.b_2", true}, {"", false}, {".", false},
		{"..", false}, {"../x", false}, {"a/b", false}, {"/etc", false},
		{"-rf", false}, {"a b", false}, {"%2e%2e", false}, {strings.Repeat("a", 129), false},
	}
	for _, tt := range tests {
		if got := ValidID(tt.id); got != tt.want {
			t.Errorf("ValidID(%q) = %v; want %v", tt.id, got, tt.want)
		}
	}
}

func TestTrends(t *testing.T) {
	dir := fixtureRuns(t)
	var runs []*Run
	ids, err := ListRuns(os.DirFS(dir))
	require.NoError(t, err)
	for _, id := range ids {
		runs = append(runs, LoadRun(os.DirFS(dir), id, targets.Default()))
	}
	trends := Trends(runs)
	require.NotEmpty(t, trends)
	first := trends[0]
	assert.Equal(t, "rtf-standard-1080p", first.Name, "speed comes first among these")
	var got []float64
	for _, p := range first.Points {
		require.NotNil(t, p.Value)
		got = append(got, *p.Value)
	}
	assert.Equal(t, []float64{0.62, 0.55, 0.58}, got)
	for _, tr := range trends {
		if tr.Name == "gpus-needed" {
			assert.Equal(t, 1, tr.Measured())
			assert.Nil(t, tr.Points[0].Value)
			assert.Equal(t, 1000.0, *tr.Threshold)
		}
	}
	last := trends[len(trends)-1]
	assert.Empty(t, last.Target, "supporting figures come last")
}

func TestBaselinesCompare(t *testing.T) {
	b := LoadBaselines(os.DirFS(writeBaselines(t)))
	require.Empty(t, b.Problems)
	require.Equal(t, []string{"other-cpu-x64/performance.txt",
		fixtureClass + "/performance.txt"}, b.Files(), "README.md holds no results")
	require.Equal(t, []string{"other-cpu-x64", fixtureClass}, b.Classes())
	dir := fixtureRuns(t)
	run := LoadRun(os.DirFS(dir), "20261201T100000Z", targets.Default())
	require.Equal(t, fixtureClass, ClassOf(run))
	cmp := b.Compare(run, ClassOf(run))
	require.Len(t, cmp, 2, "only the run's class")
	// sec/op: 122ms against 110.5ms is 10.4% slower.
	assert.Equal(t, "sec/op", cmp[0].Unit)
	assert.InDelta(t, 10.41, *cmp[0].DeltaPercent, 0.01)
	assert.Equal(t, "worse", cmp[0].Change)
	assert.Equal(t, "videos/s", cmp[1].Unit)
	assert.Equal(t, "worse", cmp[1].Change, "7.95 videos/s < 9.05, higher is better")

	run = LoadRun(os.DirFS(dir), "20261202T100000Z", targets.Default())
	cmp = b.Compare(run, fixtureClass)
	assert.Equal(t, "better", cmp[0].Change, "101ms against 110.5ms")
	assert.Equal(t, "same", cmp[1].Change, "9.45 against 9.05 videos/s is within 5%")

	none := b.Compare(nil, fixtureClass)
	assert.Nil(t, none[0].Current)
	assert.Empty(t, b.Compare(run, "no-such-class-x1"))
	assert.Empty(t, LoadBaselines(nil).Sets)
}

func TestMachineClass(t *testing.T) {
	tests := []struct{ machine, want string }{
		{"AMD EPYC 9B14 x2 linux/amd64", "amd-epyc-9b14-x2"},
		{fixtureMachine, fixtureClass},
		{"Intel(R) Xeon(R) CPU @ 2.20GHz x16 linux/amd64", "intel-r-xeon-r-cpu-2-20ghz-x16"},
		{"something else", ""},
	}
	for _, tt := range tests {
		if got := MachineClass(tt.machine); got != tt.want {
			t.Errorf("MachineClass(%q) = %q; want %q", tt.machine, got, tt.want)
		}
	}
}
