package gpu

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSummarizeEnergy(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	all := MetricPower | MetricEnergy
	tests := []struct {
		name        string
		samples     []Sample
		joules      float64
		fromCounter bool
	}{
		{"counter", []Sample{
			{Time: at(0), Have: all, PowerWatts: 100, EnergyMillijoules: 5000},
			{Time: at(500), Have: all, PowerWatts: 300, EnergyMillijoules: 6000},
			{Time: at(1000), Have: all, PowerWatts: 100, EnergyMillijoules: 7500},
		}, 2.5, true},
		{"power integrated without a counter", []Sample{
			{Time: at(0), Have: MetricPower, PowerWatts: 100},
			{Time: at(500), Have: MetricPower, PowerWatts: 300},
			{Time: at(1000), Have: MetricPower, PowerWatts: 100},
		}, 0.5*200 + 0.5*200, false},
		{"counter reset by a driver reload", []Sample{
			{Time: at(0), Have: all, PowerWatts: 200, EnergyMillijoules: 9000},
			{Time: at(2000), Have: all, PowerWatts: 200, EnergyMillijoules: 100},
		}, 400, false},
		{"other devices ignored", []Sample{
			{Device: 1, Time: at(0), Have: all, EnergyMillijoules: 0},
			{Time: at(0), Have: all, PowerWatts: 50, EnergyMillijoules: 0},
			{Device: 1, Time: at(1000), Have: all, EnergyMillijoules: 1e6},
			{Time: at(1000), Have: all, PowerWatts: 50, EnergyMillijoules: 50000},
		}, 50, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(tt.samples, 0)
			assert.InDeltaf(t, tt.joules, s.EnergyJoules, 1e-9,
				"Summarize(%s).EnergyJoules", tt.name)
			assert.Equal(t, tt.fromCounter, s.EnergyFromCounter)
		})
	}
}

func TestSummarizeWithoutSamples(t *testing.T) {
	s := Summarize(nil, 0)
	assert.Zero(t, s.Samples)
	for name, v := range map[string]float64{
		"MeanUtilPct": s.MeanUtilPct, "EnergyJoules": s.EnergyJoules,
		"MeanPowerWatts": s.MeanPowerWatts, "PeakTemperatureC": s.PeakTemperatureC,
	} {
		assert.Truef(t, math.IsNaN(v), "Summarize(nil).%s = %v; want NaN", name, v)
	}
}

// A fake source drives the Monitor without NVML.
type fakeSource struct{ fail map[int]bool }

func (f fakeSource) devices() []Device { return []Device{{Index: 0}, {Index: 1}} }

func (f fakeSource) read(i int, now time.Time) (Sample, error) {
	if f.fail[i] {
		return Sample{}, assert.AnError
	}
	return Sample{Device: i, Time: now, Have: MetricUtil, UtilPct: float64(10 * i)}, nil
}

func (f fakeSource) close() error { return nil }

func TestMonitorSampleSkipsFailedDevices(t *testing.T) {
	m := newMonitor(fakeSource{fail: map[int]bool{1: true}})
	ss, err := m.Sample()
	assert.ErrorIs(t, err, assert.AnError)
	if assert.Len(t, ss, 1) {
		assert.Equal(t, 0, ss[0].Device)
	}
}
