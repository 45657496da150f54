package distrib

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// HistFile is the name of a shard's histogram log in its directory.
const HistFile = "histograms.hlog"

// WriteHistograms writes hs, keyed by metric name, to path as an
// HdrHistogram interval log: one tagged interval per metric, readable by
// the HdrHistogram tools of every language.
func WriteHistograms(path string, hs map[string]*hdr.Histogram) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write histograms: %w", err)
	}
	w := hdr.NewHistogramLogWriter(f)
	err = w.OutputLogFormatVersion()
	if err == nil {
		err = w.OutputLegend()
	}
	names := make([]string, 0, len(hs))
	for n := range hs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err != nil {
			break
		}
		h := hs[n].Clone()
		h.SetTag(n)
		err = w.OutputIntervalHistogram(h)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write histograms %s: %w", path, err)
	}
	return nil
}

// ReadHistograms reads a log written by WriteHistograms (or any
// HdrHistogram interval log) and merges the intervals of each tag.
func ReadHistograms(path string) (map[string]*hdr.Histogram, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read histograms: %w", err)
	}
	defer f.Close()
	r := hdr.NewHistogramLogReader(f)
	out := map[string]*hdr.Histogram{}
	for {
		h, err := r.NextIntervalHistogram()
		if errors.Is(err, io.EOF) || (err == nil && h == nil) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("read histograms %s: %w", filepath.Base(path), err)
		}
		if err := mergeInto(out, h.Tag(), h); err != nil {
			return out, fmt.Errorf("read histograms %s: %w", filepath.Base(path), err)
		}
	}
}

// mergeInto adds h to dst[name] exactly; a histogram whose values do not
// fit is an error, never a silent drop.
func mergeInto(dst map[string]*hdr.Histogram, name string, h *hdr.Histogram) error {
	cur, ok := dst[name]
	if !ok {
		cur = hdr.New(h.LowestTrackableValue(), h.HighestTrackableValue(),
			int(h.SignificantFigures()))
		dst[name] = cur
	}
	if dropped := cur.Merge(h); dropped > 0 {
		return fmt.Errorf("histogram %q: %d values outside the range of the first shard",
			name, dropped)
	}
	return nil
}
