package month

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/simulation/des"
)

func TestSlotHeapPopsSmallestFirst(t *testing.T) {
	r := des.NewStream(9, 0)
	var h slotHeap
	var want []int32
	for range 1000 {
		s := int32(r.IntN(500))
		h.push(s)
		want = append(want, s)
	}
	slices.Sort(want)
	got := make([]int32, 0, len(want))
	for len(h) > 0 {
		got = append(got, h.pop())
	}
	require.Equal(t, want, got)
}

func TestScalePoolKeepsCapacity(t *testing.T) {
	tests := []struct {
		units, slots int
		f            float64
		wantUnits    int
	}{
		{125, 24, 0.01, 1},  // 30 slots on one unit
		{125, 24, 0.1, 13},  // 300 slots on 13 units
		{100, 32, 0.01, 1},  // 32 slots on one unit
		{3, 8, 0.01, 1},     // at least one unit
		{125, 24, 1, 125},   // unchanged
		{40, 8, 0.5, 20},    // exact
		{1000, 1, 0.002, 2}, // one slot each
	}
	for _, tt := range tests {
		spec := PoolSpec{Units: tt.units, SlotsPerUnit: tt.slots, Hourly: 10}
		got, n := scalePool(spec, tt.f)
		want := float64(tt.units*tt.slots) * tt.f
		slots := float64(n * got.SlotsPerUnit)
		if n != tt.wantUnits || (want >= 1 && (slots-want)*(slots-want) >
			float64(n*n)/4) {
			t.Errorf("scalePool(%d x %d, %v) = %d x %d; want %d units, "+
				"%.1f slots", tt.units, tt.slots, tt.f, n, got.SlotsPerUnit,
				tt.wantUnits, want)
		}
		// The price follows the slots: cost per slot-hour is kept.
		require.InDelta(t, 10/float64(tt.slots),
			float64(got.Hourly)/float64(got.SlotsPerUnit), 1e-9)
	}
}
