package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress tells a person what the run is doing. On a terminal it keeps
// one live status line at the bottom and prints lasting lines above it;
// elsewhere it prints lasting lines and a status line every heartbeat.
// It is safe for concurrent use.
type progress struct {
	mu        sync.Mutex
	w         io.Writer
	live      bool
	width     int // columns of the live line
	now       func() time.Time
	start     time.Time
	heartbeat time.Duration
	lastBeat  time.Time
	lastDraw  time.Time
	liveShown bool

	stage     string
	pkgsTotal int
	pkgsDone  int
	tests     int
	failed    int
	skipped   int
	// running returns the package and test running now, and since when.
	running func() (pkg, test string, since time.Time)
}

func newProgress(w io.Writer, live bool, width int, now func() time.Time) *progress {
	t := now()
	return &progress{w: w, live: live, width: width, now: now, start: t, lastBeat: t,
		heartbeat: 30 * time.Second}
}

// Printf prints a lasting line.
func (p *progress) Printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLive()
	fmt.Fprintf(p.w, format+"\n", args...)
	p.drawLive()
}

// redrawEvery bounds how often Update redraws the live line; Tick and
// Printf redraw regardless.
const redrawEvery = 100 * time.Millisecond

// Update changes the counters under the lock and redraws the live line
// if it has not been drawn for redrawEvery.
func (p *progress) Update(f func(p *progress)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
	if now := p.now(); p.live && now.Sub(p.lastDraw) >= redrawEvery {
		p.clearLive()
		p.drawLive()
	}
}

// Tick redraws the live line, or prints the status line when a
// heartbeat has passed on a plain output.
func (p *progress) Tick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live {
		p.clearLive()
		p.drawLive()
		return
	}
	if now := p.now(); now.Sub(p.lastBeat) >= p.heartbeat {
		p.lastBeat = now
		fmt.Fprintf(p.w, "... %s\n", p.status())
	}
}

// Done clears the live line for good.
func (p *progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLive()
}

// status is the one-line summary of where the run stands.
func (p *progress) status() string {
	var b strings.Builder
	if p.stage != "" {
		fmt.Fprintf(&b, "[%s] ", p.stage)
	}
	fmt.Fprintf(&b, "%d/%d packages, %d tests done", p.pkgsDone, p.pkgsTotal, p.tests)
	if p.failed > 0 || p.skipped > 0 {
		fmt.Fprintf(&b, " (%d failed, %d skipped)", p.failed, p.skipped)
	}
	fmt.Fprintf(&b, ", %s elapsed", elapsed(p.now().Sub(p.start)))
	if p.running != nil {
		if pkg, test, since := p.running(); test != "" {
			fmt.Fprintf(&b, "; running %s %s (%s)", pkg, test, elapsed(p.now().Sub(since)))
		}
	}
	return b.String()
}

func (p *progress) clearLive() {
	if p.live && p.liveShown {
		fmt.Fprint(p.w, "\r\033[K")
		p.liveShown = false
	}
}

func (p *progress) drawLive() {
	if !p.live {
		return
	}
	s := p.status()
	if r := []rune(s); p.width > 1 && len(r) >= p.width {
		s = string(r[:p.width-2]) + "…"
	}
	fmt.Fprint(p.w, s)
	p.liveShown = true
	p.lastDraw = p.now()
}

// elapsed formats a duration in whole seconds ("1m23s").
func elapsed(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	return d.Truncate(time.Second).String()
}
