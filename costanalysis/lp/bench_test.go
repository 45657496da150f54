package lp

import "testing"

// BenchmarkInteger solves an optimizer-sized problem: 30 purchase
// options, a capacity row and a non-spot row.
func BenchmarkInteger(b *testing.B) {
	n := 30
	p := Problem{Cost: make([]float64, n), Rows: [][]float64{make([]float64, n),
		make([]float64, n)}, Min: []float64{1, 0.5}}
	for j := range n {
		p.Cost[j] = 1 + float64(j%7)*0.37
		p.Rows[0][j] = 1 / (50 + float64(j*13%40))
		if j%3 != 1 {
			p.Rows[1][j] = p.Rows[0][j]
		}
	}
	for b.Loop() {
		if _, err := Integer(p, Settings{RelGap: 1e-4}); err != nil {
			b.Fatal(err)
		}
	}
}
