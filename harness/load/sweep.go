package load

import (
	"context"
	"fmt"
	"time"
)

// Point is the throughput a closed loop reached at one concurrency: the
// X(N) of the Universal Scalability Law.
type Point struct {
	Concurrency int
	// Throughput is completed operations per second.
	Throughput float64
	Result     *Result
}

// Sweep runs op in a closed loop for d at each concurrency in levels and
// returns one point per level, in order. Errors of operations are counted
// in each point's Result; Sweep itself fails only when a run cannot be
// made or ctx ends.
func Sweep(ctx context.Context, levels []int, d time.Duration, op Op) ([]Point, error) {
	pts := make([]Point, 0, len(levels))
	for _, n := range levels {
		res, err := RunClosed(ctx, Closed{Workers: n, For: d}, op)
		if err != nil {
			return pts, fmt.Errorf("sweep at concurrency %d: %w", n, err)
		}
		pts = append(pts, Point{Concurrency: n, Throughput: res.Achieved(), Result: res})
	}
	return pts, nil
}
