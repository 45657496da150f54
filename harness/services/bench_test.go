package services

import (
	"context"
	"testing"
)

// BenchmarkStart measures how long the first provider that works (see
// SCALETEST_PROVIDERS) takes to start a dedicated server that accepts
// connections, in sec/op; stopping it is not timed.
func BenchmarkStart(b *testing.B) {
	for _, kind := range []Kind{KindPostgres, KindRedis} {
		b.Run(string(kind), func(b *testing.B) {
			for range b.N {
				s, err := resolve(b.Context(), kind, true, Logger(b))
				if err != nil {
					b.Skip(err)
				}
				b.StopTimer()
				b.Logf("%s: started in %v", s, s.StartupTime())
				if err := s.close(context.Background()); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}
