package usl_test

import (
	"fmt"

	"github.com/scaletest/scaletest/scalability/usl"
)

func ExampleFitPoints() {
	// Encodes per minute of one node at 1 to 32 concurrent jobs.
	pts := []usl.Point{
		{Concurrency: 1, Throughput: 10}, {Concurrency: 2, Throughput: 18.9},
		{Concurrency: 4, Throughput: 33.4}, {Concurrency: 8, Throughput: 51.6},
		{Concurrency: 16, Throughput: 63.5}, {Concurrency: 32, Throughput: 58.2},
	}
	fit, err := usl.FitPoints(pts)
	if err != nil {
		panic(err)
	}
	fmt.Printf("sigma %.3f kappa %.4f lambda %.2f\n", fit.Sigma, fit.Kappa, fit.Lambda)
	fmt.Printf("N* %.1f X(N*) %.1f R2 %.3f\n", fit.PeakConcurrency(),
		fit.PeakThroughput(), fit.R2)
	// Output:
	// sigma 0.057 kappa 0.0028 lambda 10.03
	// N* 18.4 X(N*) 64.1 R2 1.000
}
