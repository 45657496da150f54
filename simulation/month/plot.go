package month

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/scaletest/scaletest/simulation/des"
)

// WritePlots draws the run's time series into dir, each as SVG and PNG:
// per pool the queue depth and the utilisation (busy over available
// slots) and the units paid for, and the videos waiting for YouTube.
// It returns the files written.
func (r *Result) WritePlots(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write plots: %w", err)
	}
	var files []string
	save := func(p *plot.Plot, name string) error {
		for _, ext := range []string{".svg", ".png"} {
			f := filepath.Join(dir, name+ext)
			if err := p.Save(10*vg.Inch, 4*vg.Inch, f); err != nil {
				return fmt.Errorf("write plot %s: %w", name, err)
			}
			files = append(files, f)
		}
		return nil
	}
	for _, pl := range r.Pools {
		if len(pl.Busy) == 0 {
			continue
		}
		name := "pool-" + slug(pl.Name)
		queue, err := lines("Queue depth: "+pl.Name, "jobs waiting",
			series{"mean", pl.Queue, mean}, series{"max", pl.Queue, peak})
		if err != nil {
			return files, err
		}
		if err := save(queue, name+"-queue"); err != nil {
			return files, err
		}
		util := make([]des.SeriesPoint, len(pl.Busy))
		for i := range pl.Busy {
			util[i] = des.SeriesPoint{Start: pl.Busy[i].Start}
			if c := pl.Slots[i].Mean; c > 0 {
				util[i].Mean = pl.Busy[i].Mean / c
			}
		}
		u, err := lines("Utilisation and units: "+pl.Name, "share / units",
			series{"busy / slots up", util, mean},
			series{pl.Unit + " paid (/ declared)",
				scaled(pl.Units, 1/float64(max(pl.Declared, 1))), mean})
		if err != nil {
			return files, err
		}
		if err := save(u, name+"-utilisation"); err != nil {
			return files, err
		}
	}
	b, err := lines("Videos processed, waiting for YouTube", "videos",
		series{"waiting (mean)", r.Backlog, mean},
		series{"in processing (mean)", r.InProcessing, mean})
	if err != nil {
		return files, err
	}
	return files, save(b, "youtube-backlog")
}

type series struct {
	name string
	pts  []des.SeriesPoint
	of   func(des.SeriesPoint) float64
}

func mean(p des.SeriesPoint) float64 { return p.Mean }
func peak(p des.SeriesPoint) float64 { return p.Max }

func scaled(pts []des.SeriesPoint, f float64) []des.SeriesPoint {
	out := make([]des.SeriesPoint, len(pts))
	for i, p := range pts {
		out[i] = des.SeriesPoint{Start: p.Start, Mean: p.Mean * f,
			Max: p.Max * f}
	}
	return out
}

// lines plots series against hours since the start of the run.
func lines(title, ylabel string, ss ...series) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "hours since the start of the month"
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	for i, s := range ss {
		xy := make(plotter.XYs, len(s.pts))
		for j, pt := range s.pts {
			xy[j] = plotter.XY{X: pt.Start.Hours(), Y: s.of(pt)}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("plot %s: %w", title, err)
		}
		l.Color = plotColors[i%len(plotColors)]
		p.Add(l)
		p.Legend.Add(s.name, l)
	}
	return p, nil
}

func slug(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, s)
}

// plotColors are the line colours of the plots, in order.
var plotColors = []color.Color{
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
}
