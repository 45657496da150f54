package report

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"golang.org/x/perf/benchfmt"
)

// BenchSeries is one metric of one benchmark in a benchmark file: every
// value it took (one per -count run).
type BenchSeries struct {
	// Pkg is the benchmark's package (the file's "pkg:" line).
	Pkg string `json:"pkg"`
	// Name is the full benchmark name, sub-benchmarks and GOMAXPROCS
	// suffix included ("BenchmarkEncode/1080p-2").
	Name string `json:"name"`
	// Unit is the tidied unit ("sec/op", "B/op", "videos/s").
	Unit   string    `json:"unit"`
	Values []float64 `json:"values"`
	// Better is +1 when higher is better, -1 when lower is, 0 when the
	// file does not say (benchfmt's rule).
	Better int `json:"better"`
}

// Key identifies the series across files.
func (s *BenchSeries) Key() string { return s.Pkg + " " + s.Name + " " + s.Unit }

// Median returns the median of the values (NaN for none).
func (s *BenchSeries) Median() float64 { return median(s.Values) }

// ParseBench reads a file in the Go benchmark format. It returns the
// series it could read, in order of first appearance, and an error that
// joins one error per malformed line.
func ParseBench(r io.Reader, name string) ([]BenchSeries, error) {
	var (
		out   []BenchSeries
		index = make(map[string]int)
		errs  []error
	)
	br := benchfmt.NewReader(r, name)
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			errs = append(errs, rec)
		case *benchfmt.Result:
			pkg, full := rec.GetConfig("pkg"), string(rec.Name.Full())
			for _, v := range rec.Values {
				s := BenchSeries{Pkg: pkg, Name: full, Unit: v.Unit}
				i, ok := index[s.Key()]
				if !ok {
					i = len(out)
					index[s.Key()] = i
					out = append(out, s)
				}
				out[i].Values = append(out[i].Values, v.Value)
			}
		}
	}
	if err := br.Err(); err != nil {
		errs = append(errs, fmt.Errorf("read %s: %w", name, err))
	}
	units := br.Units()
	for i := range out {
		out[i].Better = units.GetBetter(out[i].Unit)
	}
	return out, errors.Join(errs...)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return nan
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
