//go:build linux && cgo

package gpu

import (
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/NVIDIA/go-nvml/pkg/nvml"
	"github.com/NVIDIA/go-nvml/pkg/nvml/mock"
	"github.com/NVIDIA/go-nvml/pkg/nvml/mock/dgxh200"
	"github.com/NVIDIA/go-nvml/pkg/nvml/mock/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Without a driver, Init fails and nothing else may be called: the mock
// panics on any call that has no function set.
func TestOpenNVMLWithoutDriver(t *testing.T) {
	lib := &mock.Interface{
		InitFunc: func() nvml.Return { return nvml.ERROR_LIBRARY_NOT_FOUND },
	}
	m, err := OpenNVML(lib)
	require.Error(t, err)
	assert.Nil(t, m)
	assert.True(t, errors.Is(err, ErrNoDriver),
		"OpenNVML error = %v; want it to wrap ErrNoDriver", err)
	assert.Len(t, lib.InitCalls(), 1)
	assert.Empty(t, lib.DeviceGetCountCalls())
	assert.Empty(t, lib.DeviceGetHandleByIndexCalls())
}

// fakeCard is the telemetry of one mocked device: constant readings and
// an energy counter that advances with the clock at the drawn power.
type fakeCard struct {
	mu         sync.Mutex
	start      time.Time
	watts      float64
	encoderPct uint32      // reading; ignored when encoders is false
	encoders   bool        // answers the encoder-capacity query with 100%
	mig        bool        // no encoder or decoder utilisation
	lost       atomic.Bool // every reading fails, as a fallen-off GPU
}

func (c *fakeCard) energyMJ() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return uint64(c.watts * time.Since(c.start).Seconds() * 1000)
}

// wire sets the telemetry functions of d.
func (c *fakeCard) wire(d *mock.Device) {
	lost := func() bool { return c.lost.Load() }
	ok := nvml.SUCCESS
	gone := nvml.ERROR_GPU_IS_LOST
	d.GetEncoderCapacityFunc = func(nvml.EncoderType) (int, nvml.Return) {
		if c.encoders {
			return 100, ok
		}
		return 0, nvml.ERROR_NOT_SUPPORTED
	}
	d.GetUtilizationRatesFunc = func() (nvml.Utilization, nvml.Return) {
		if lost() {
			return nvml.Utilization{}, gone
		}
		return nvml.Utilization{Gpu: 40, Memory: 10}, ok
	}
	d.GetEncoderUtilizationFunc = func() (uint32, uint32, nvml.Return) {
		if c.mig || lost() {
			return 0, 0, nvml.ERROR_NOT_SUPPORTED
		}
		return c.encoderPct, 167000, ok
	}
	d.GetDecoderUtilizationFunc = func() (uint32, uint32, nvml.Return) {
		if c.mig || lost() {
			return 0, 0, nvml.ERROR_NOT_SUPPORTED
		}
		return 55, 167000, ok
	}
	d.GetPowerUsageFunc = func() (uint32, nvml.Return) {
		if lost() {
			return 0, gone
		}
		return uint32(c.watts * 1000), ok
	}
	d.GetTotalEnergyConsumptionFunc = func() (uint64, nvml.Return) {
		if lost() {
			return 0, gone
		}
		return c.energyMJ(), ok
	}
	d.GetClockInfoFunc = func(ct nvml.ClockType) (uint32, nvml.Return) {
		if lost() {
			return 0, gone
		}
		return map[nvml.ClockType]uint32{nvml.CLOCK_SM: 1980,
			nvml.CLOCK_MEM: 2619, nvml.CLOCK_VIDEO: 1635}[ct], ok
	}
	d.GetTemperatureFunc = func(nvml.TemperatureSensors) (uint32, nvml.Return) {
		if lost() {
			return 0, gone
		}
		return 61, ok
	}
}

// h200 returns a mocked DGX H200 (8 GPUs) whose cards follow card.
func h200(t *testing.T, card *fakeCard) nvml.Interface {
	t.Helper()
	srv := dgxh200.New()
	for _, d := range srv.Devices {
		sd, ok := d.(*server.Device)
		require.True(t, ok, "dgxh200 device is %T", d)
		card.wire(&sd.Device)
	}
	return srv
}

func TestOpenNVMLDescribesDevices(t *testing.T) {
	tests := []struct {
		name     string
		lib      func(*testing.T) nvml.Interface
		devices  int
		wantName string
		nvenc    bool
	}{
		{"H200 without NVENC", func(t *testing.T) nvml.Interface {
			return h200(t, &fakeCard{})
		}, 8, "NVIDIA H200 141GB HBM3e", false},
		{"card with encoders", func(t *testing.T) nvml.Interface {
			return oneCard(&fakeCard{encoders: true}, "NVIDIA L4")
		}, 1, "NVIDIA L4", true},
		{"A100 that does not answer the query", func(t *testing.T) nvml.Interface {
			lib := oneCard(&fakeCard{}, "NVIDIA A100-SXM4-80GB")
			d, _ := lib.DeviceGetHandleByIndex(0)
			d.(*mock.Device).GetEncoderCapacityFunc =
				func(nvml.EncoderType) (int, nvml.Return) {
					return 0, nvml.ERROR_UNKNOWN
				}
			return lib
		}, 1, "NVIDIA A100-SXM4-80GB", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := OpenNVML(tt.lib(t))
			require.NoError(t, err)
			t.Cleanup(func() { m.Close() })
			devs := m.Devices()
			require.Len(t, devs, tt.devices)
			for i, d := range devs {
				assert.Equal(t, i, d.Index)
				assert.Equal(t, tt.wantName, d.Name)
				assert.Equalf(t, tt.nvenc, d.NVENC, "NVENC of %s (%s)",
					d.Name, d.NVENCWhy)
				assert.NotEmpty(t, d.NVENCWhy)
			}
		})
	}
}

// oneCard is a one-GPU machine built from go-nvml's plain mocks.
func oneCard(card *fakeCard, name string) *mock.Interface {
	d := &mock.Device{
		GetNameFunc: func() (string, nvml.Return) { return name, nvml.SUCCESS },
		GetUUIDFunc: func() (string, nvml.Return) {
			return "GPU-00000000-0000-0000-0000-000000000000", nvml.SUCCESS
		},
		GetMigModeFunc: func() (int, int, nvml.Return) {
			if card.mig {
				return nvml.DEVICE_MIG_ENABLE, nvml.DEVICE_MIG_ENABLE, nvml.SUCCESS
			}
			return 0, 0, nvml.SUCCESS
		},
	}
	card.wire(d)
	d.GetMemoryInfoFunc = func() (nvml.Memory, nvml.Return) {
		if card.lost.Load() {
			return nvml.Memory{}, nvml.ERROR_GPU_IS_LOST
		}
		return nvml.Memory{Total: 24 << 30, Used: 3 << 30, Free: 21 << 30},
			nvml.SUCCESS
	}
	return &mock.Interface{
		InitFunc:     func() nvml.Return { return nvml.SUCCESS },
		ShutdownFunc: func() nvml.Return { return nvml.SUCCESS },
		DeviceGetCountFunc: func() (int, nvml.Return) {
			return 1, nvml.SUCCESS
		},
		DeviceGetHandleByIndexFunc: func(i int) (nvml.Device, nvml.Return) {
			if i != 0 {
				return nil, nvml.ERROR_INVALID_ARGUMENT
			}
			return d, nvml.SUCCESS
		},
	}
}

// A recording samples at the fixed interval, and its summary matches the
// scripted card: energy from the counter equals power times time.
func TestRecordSamplesAtInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		card := &fakeCard{start: time.Now(), watts: 250, encoders: true,
			encoderPct: 80}
		m, err := OpenNVML(oneCard(card, "NVIDIA L4"))
		require.NoError(t, err)
		t.Cleanup(func() { m.Close() })

		rec := m.Record(t.Context(), 100*time.Millisecond)
		time.Sleep(time.Second) // the stage: virtual time under synctest
		samples, err := rec.Stop()
		require.NoError(t, err)

		// One at start, ten ticks, one at Stop.
		assert.Len(t, samples, 12)
		for i := 1; i < len(samples); i++ {
			assert.False(t, samples[i].Time.Before(samples[i-1].Time),
				"samples out of order at %d", i)
		}
		s := Summarize(samples, 0)
		assert.Equal(t, time.Second, s.Duration)
		assert.Equal(t, 12, s.Samples)
		assert.InDelta(t, 40, s.MeanUtilPct, 1e-9)
		assert.InDelta(t, 80, s.MeanEncoderPct, 1e-9)
		assert.InDelta(t, 55, s.PeakDecoderPct, 1e-9)
		assert.Equal(t, uint64(3<<30), s.PeakMemUsedBytes)
		assert.InDelta(t, 250, s.MeanPowerWatts, 1e-9)
		assert.True(t, s.EnergyFromCounter)
		assert.InDelta(t, 250, s.EnergyJoules, 1e-3)
		assert.InDelta(t, 1980, s.MeanSMClockMHz, 1e-9)
		assert.InDelta(t, 61, s.PeakTemperatureC, 1e-9)
	})
}

// Under MIG the driver has no encoder or decoder utilisation: samples
// leave them out and the summary says NaN, not zero.
func TestRecordUnderMIG(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		card := &fakeCard{start: time.Now(), watts: 100, mig: true}
		m, err := OpenNVML(oneCard(card, "NVIDIA A100-SXM4-80GB"))
		require.NoError(t, err)
		t.Cleanup(func() { m.Close() })
		assert.True(t, m.Devices()[0].MIG)

		rec := m.Record(t.Context(), 250*time.Millisecond)
		time.Sleep(time.Second)
		samples, err := rec.Stop()
		require.NoError(t, err)
		require.NotEmpty(t, samples)
		assert.False(t, samples[0].Has(MetricEncoder))
		assert.True(t, samples[0].Has(MetricPower|MetricEnergy|MetricClocks))
		s := Summarize(samples, 0)
		assert.True(t, math.IsNaN(s.MeanEncoderPct),
			"MeanEncoderPct = %v; want NaN", s.MeanEncoderPct)
		assert.True(t, math.IsNaN(s.MeanDecoderPct))
		assert.InDelta(t, 100, s.EnergyJoules, 1e-3)
	})
}

// A device that stops answering is counted, and the other samples stay.
func TestRecordCountsFailedReadings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		card := &fakeCard{start: time.Now(), watts: 100}
		lib := oneCard(card, "NVIDIA L4")
		m, err := OpenNVML(lib)
		require.NoError(t, err)
		t.Cleanup(func() { m.Close() })

		rec := m.Record(t.Context(), 100*time.Millisecond)
		time.Sleep(450 * time.Millisecond)
		card.lost.Store(true)
		time.Sleep(300 * time.Millisecond)
		samples, err := rec.Stop()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "4 of the readings failed")
		assert.Len(t, samples, 5, "samples before the device was lost")
	})
}
