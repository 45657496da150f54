package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/targets"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, rewriting it under -update. On
// a mismatch it keeps got beside it as name.got.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create the golden file")
	if !bytes.Equal(got, want) {
		require.NoError(t, os.WriteFile(path+".got", got, 0o644))
		t.Errorf("%s differs from the golden file; see %s.got (go test -update "+
			"accepts it)", name, path)
	}
}

func TestSummaryGolden(t *testing.T) {
	dir := fixtureRuns(t)
	for _, tt := range []struct{ id, file string }{
		{"20261202T100000Z", "summary-complete.md"},
		{"20261203T100000Z", "summary-broken.md"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, WriteSummary(&buf, LoadRun(os.DirFS(dir), tt.id,
				targets.Default())))
			golden(t, tt.file, buf.Bytes())
		})
	}
}

func TestReportHTMLSelfContained(t *testing.T) {
	dir := fixtureRuns(t)
	run := LoadRun(os.DirFS(dir), "20261202T100000Z", targets.Default())
	var buf bytes.Buffer
	require.NoError(t, WriteHTML(&buf, run))
	html := buf.String()

	// Nothing is fetched: no scripts, no links or sources off the page
	// (the SVG namespace is a name, not a request).
	assert.NotContains(t, html, "<script")
	outside := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//`)
	assert.False(t, outside.MatchString(html), "report refers outside itself")
	assert.NotContains(t, strings.ReplaceAll(html,
		`xmlns="http://www.w3.org/2000/svg"`, ""), "http://")

	// One scorecard row per target, in order, and the charts.
	rows := regexp.MustCompile(`data-target="(\w+)"`).FindAllStringSubmatch(html, -1)
	var ids []string
	for _, m := range rows {
		ids = append(ids, m[1])
	}
	assert.Equal(t, []string{"volume", "speed", "cluster", "storage", "network", "cost",
		"reliability", "youtube"}, ids)
	assert.Equal(t, 3, strings.Count(html, `<svg `), "the headroom chart, "+
		"performance's two rtf figures and scalability's two GPU figures")
	assert.Contains(t, html, "not measured: no figure; simulation is not present")
}
