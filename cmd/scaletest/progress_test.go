package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestProgressPlain(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	p := newProgress(&out, false, 0, clock.now)
	testStart := clock.t
	p.running = func() (string, string, time.Time) {
		return "performance/ffmpeg", "TestEncode/1080p", testStart
	}
	p.Update(func(p *progress) { p.stage, p.pkgsTotal = "1/3 measure", 4 })
	p.Printf("== stage %s", "1/3 measure")
	clock.advance(20 * time.Second)
	p.Tick() // before the heartbeat: silent
	p.Update(func(p *progress) { p.pkgsDone, p.tests, p.failed, p.skipped = 1, 12, 1, 2 })
	clock.advance(15 * time.Second)
	p.Tick()
	p.Done()
	want := "== stage 1/3 measure\n" +
		"... [1/3 measure] 1/4 packages, 12 tests done (1 failed, 2 skipped), " +
		"35s elapsed; running performance/ffmpeg TestEncode/1080p (35s)\n"
	assert.Equal(t, want, out.String())
}

func TestProgressLive(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	p := newProgress(&out, true, 40, clock.now)
	p.Update(func(p *progress) { p.pkgsTotal = 2 })
	p.Update(func(p *progress) { p.tests = 1 }) // too soon to redraw
	p.Printf("ok    scalability")
	clock.advance(90 * time.Second)
	p.Tick()
	p.Done()
	s := out.String()
	assert.True(t, strings.HasPrefix(s, "0/2 packages, 0 tests done, 0s elapsed"), s)
	// Every lasting line and redraw first clears the live line.
	assert.Contains(t, s, "\r\033[Kok    scalability\n0/2 packages, 1 tests done")
	assert.Equal(t, 1, strings.Count(s, "0/2 packages, 0 tests done"), "one redraw for two updates")
	assert.Contains(t, s, "\r\033[K0/2 packages, 1 tests done, 1m30s elap…", "cut to 40 columns")
	assert.True(t, strings.HasSuffix(s, "\r\033[K"), "Done clears the line")
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\033[K", "\n"), "\n") {
		assert.LessOrEqual(t, len([]rune(line)), 40, "live line %q fits the terminal", line)
	}
}
