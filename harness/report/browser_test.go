package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/record"
)

// chromium returns the browser to drive, or skips (fails under CI=true)
// saying how to install one. SCALETEST_CHROMIUM names another binary.
func chromium(t *testing.T) string {
	t.Helper()
	exe, missing := findChromium(os.Getenv("SCALETEST_CHROMIUM"), exec.LookPath)
	if missing == "" {
		return exe
	}
	if os.Getenv("CI") == "true" {
		t.Fatal(missing)
	}
	t.Skip(missing)
	return ""
}

// findChromium looks for a Chromium: override first, then the usual
// names. It returns the path, or why there is none and how to fix it.
func findChromium(override string, lookPath func(string) (string, error)) (string, string) {
	for _, c := range []string{override, "/usr/bin/chromium", "chromium",
		"chromium-browser", "google-chrome"} {
		if c == "" {
			continue
		}
		if p, err := lookPath(c); err == nil {
			return p, ""
		}
	}
	return "", "no Chromium for the dashboard's browser test: install it " +
		"(apt-get install chromium) or set SCALETEST_CHROMIUM to a Chrome binary"
}

func TestFindChromium(t *testing.T) {
	none := func(string) (string, error) { return "", exec.ErrNotFound }
	_, why := findChromium("", none)
	assert.Contains(t, why, "apt-get install chromium")
	only := func(name string) (string, error) {
		if name == "/opt/chrome" {
			return name, nil
		}
		return "", exec.ErrNotFound
	}
	exe, why := findChromium("/opt/chrome", only)
	assert.Equal(t, "/opt/chrome", exe)
	assert.Empty(t, why)
}

// browser starts a headless Chromium for the test and returns a tab.
// The browser stops when the test ends.
func browser(t *testing.T, exe string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // tests may run as root
		chromedp.DisableGPU,
		// Without these Chromium keeps dialling out on a closed network.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	// Start the browser on a context without a deadline: it lives as long
	// as that context.
	require.NoError(t, chromedp.Do(ctx), "start %s", exe)
	return ctx
}

type chartInfo struct {
	Title  string  `json:"title"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	// Marks counts the data marks; Painted those with a non-empty box.
	Marks   int `json:"marks"`
	Painted int `json:"painted"`
}

type rowInfo struct {
	Target  string `json:"target"`
	Verdict string `json:"verdict"`
	Text    string `json:"text"`
}

const readRows = `[...document.querySelectorAll('#scorecard tr.target')].map(r => ({
	target: r.dataset.target, verdict: r.dataset.verdict, text: r.innerText}))`

const readCharts = `[...document.querySelectorAll('svg.chart')].map(s => {
	const b = s.getBoundingClientRect();
	const marks = [...s.querySelectorAll('.data')];
	return {title: s.getAttribute('aria-label'), width: b.width, height: b.height,
		marks: marks.length,
		painted: marks.filter(m => {
			const r = m.getBBox();
			return r.width > 0 || r.height > 0;
		}).length};
})`

// TestDashboardInBrowser loads the dashboard over fixture runs in
// headless Chromium, reads the scorecard and checks that every chart
// rendered with its data; the screenshot is kept as an artifact.
func TestDashboardInBrowser(t *testing.T) {
	exe := chromium(t)
	base := serve(t, fixtureRuns(t), writeBaselines(t))
	tab := browser(t, exe)
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/scale-dashboard"),
		chromedp.WaitVisible(chromedp.CSS("#scorecard"))))

	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]rowInfo](readRows))
	require.NoError(t, err)
	var ids []string
	verdicts := make(map[string]string)
	for _, r := range rows {
		ids = append(ids, r.Target)
		verdicts[r.Target] = r.Verdict
	}
	require.Equal(t, []string{"volume", "speed", "cluster", "storage", "network", "cost",
		"reliability", "youtube"}, ids)
	assert.Equal(t, "fail", verdicts["cluster"])
	assert.Equal(t, "pass", verdicts["speed"])
	assert.Equal(t, "not-measured", verdicts["youtube"])
	assert.Contains(t, rows[2].Text, "gpus-needed = 1240 GPUs")

	headline, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#verdict")))
	require.NoError(t, err)
	assert.Contains(t, headline, "FAIL: 4 of 8 targets pass, 1 fail, 3 not measured")
	broken, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#runs-problems")))
	require.NoError(t, err)
	assert.Contains(t, broken, "20261203T100000Z: run.json is missing")

	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartInfo](readCharts))
	require.NoError(t, err)
	// Headroom, performance's rtf figures, scalability's GPUs (needed and
	// declared), the baseline change, and one trend per figure (9).
	require.Len(t, charts, 13)
	for _, c := range charts {
		if c.Width <= 0 || c.Height <= 0 || c.Marks == 0 || c.Painted != c.Marks {
			t.Errorf("chart %q: %.0fx%.0f px, %d data marks, %d painted; want a "+
				"visible chart with every mark painted", c.Title, c.Width, c.Height,
				c.Marks, c.Painted)
		}
	}

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.Greater(t, len(png), 10_000, "screenshot too small to show the page")
	keepArtifact(t, "scale-dashboard.png", png)

	// A broken run's own page serves too, with its problems.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/scale-dashboard/runs/20261203T100000Z"),
		chromedp.WaitVisible(chromedp.CSS("#problems"))))
	problems, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#problems")))
	require.NoError(t, err)
	assert.Contains(t, problems, "records.jsonl:2: unexpected EOF")
	assert.Contains(t, problems, "bench.txt:6:")
}

// keepArtifact writes data to the test's artifact directory (kept with
// go test -artifacts) and to the results directory (record.Dir), where
// it stays after the test.
func keepArtifact(t *testing.T, name string, data []byte) {
	t.Helper()
	dirs := []string{t.ArtifactDir(), filepath.Join(record.Dir(), "artifacts")}
	for _, d := range dirs {
		require.NoError(t, os.MkdirAll(d, 0o755))
		p := filepath.Join(d, name)
		require.NoError(t, os.WriteFile(p, data, 0o644))
		if !strings.HasPrefix(p, os.TempDir()) {
			t.Logf("screenshot: %s", p)
		}
	}
}
