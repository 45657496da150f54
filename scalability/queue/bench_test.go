package queue

import (
	"testing"
	"time"
)

var sink float64

func BenchmarkErlangC100k(b *testing.B) {
	for b.Loop() {
		sink = ErlangC(100_000, 99_500)
	}
}

func BenchmarkServersFor100k(b *testing.B) {
	q := GGc{MMC{ArrivalsPerSecond: 100_000, ServiceSeconds: 1}, 1, 1.7}
	slo := WaitSLO{MaxWait: time.Second, Probability: 0.01}
	for b.Loop() {
		c, err := ServersFor(q, slo)
		if err != nil {
			b.Fatal(err)
		}
		sink = float64(c)
	}
}
