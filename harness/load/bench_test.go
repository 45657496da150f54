package load

import (
	"context"
	"testing"
	"time"
)

// BenchmarkRun is the driver's own cost per operation: b.N no-op
// operations all due at once, dispatched to workers as fast as they go.
func BenchmarkRun(b *testing.B) {
	noop := func(context.Context, int, int64) error { return nil }
	s := Constant{PerSecond: 1e9, For: time.Duration(b.N)}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := Run(b.Context(), s, noop, Options{MaxLate: 1}); err != nil {
		b.Fatal(err)
	}
}
