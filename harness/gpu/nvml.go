//go:build linux && cgo

package gpu

import (
	"fmt"
	"strings"
	"time"

	"github.com/NVIDIA/go-nvml/pkg/nvml"
)

// noEncoderCards are cards without NVENC (FACTS.md), for drivers that do
// not answer the encoder-capacity query.
var noEncoderCards = []string{"A100", "H100", "H200"}

// nvmlSource reads telemetry through go-nvml. It exists only after a
// successful Init, so no other NVML call can reach a missing driver.
type nvmlSource struct {
	lib  nvml.Interface
	devs []Device
	hs   []nvml.Device
}

// OpenNVML initialises lib (nvml.New() for the driver's library; a
// go-nvml mock in tests) and lists its devices. If Init fails, the error
// wraps ErrNoDriver and lib is called for nothing else.
func OpenNVML(lib nvml.Interface) (*Monitor, error) {
	src, err := openNVML(lib)
	if err != nil {
		return nil, err
	}
	return newMonitor(src), nil
}

func openNVML(lib nvml.Interface) (*nvmlSource, error) {
	if ret := lib.Init(); ret != nvml.SUCCESS {
		return nil, fmt.Errorf("nvml init: %v: %w", ret, ErrNoDriver)
	}
	src := &nvmlSource{lib: lib}
	n, ret := lib.DeviceGetCount()
	if ret != nvml.SUCCESS {
		lib.Shutdown()
		return nil, fmt.Errorf("nvml device count: %v", ret)
	}
	for i := 0; i < n; i++ {
		h, ret := lib.DeviceGetHandleByIndex(i)
		if ret != nvml.SUCCESS {
			lib.Shutdown()
			return nil, fmt.Errorf("nvml device %d: %v", i, ret)
		}
		src.hs = append(src.hs, h)
		src.devs = append(src.devs, describe(i, h))
	}
	return src, nil
}

// describe reads what does not change: name, memory, MIG, encoders.
func describe(i int, h nvml.Device) Device {
	d := Device{Index: i}
	if name, ret := h.GetName(); ret == nvml.SUCCESS {
		d.Name = name
	}
	if uuid, ret := h.GetUUID(); ret == nvml.SUCCESS {
		d.UUID = uuid
	}
	if mem, ret := h.GetMemoryInfo(); ret == nvml.SUCCESS {
		d.MemTotalBytes = mem.Total
	}
	if cur, _, ret := h.GetMigMode(); ret == nvml.SUCCESS {
		d.MIG = cur == nvml.DEVICE_MIG_ENABLE
	}
	d.NVENC, d.NVENCWhy = hasEncoder(h, d.Name)
	return d
}

// hasEncoder asks the driver for the H.264 encoder capacity; where the
// query is unsupported, it falls back to the known cards.
func hasEncoder(h nvml.Device, name string) (bool, string) {
	capPct, ret := h.GetEncoderCapacity(nvml.ENCODER_QUERY_H264)
	switch {
	case ret == nvml.SUCCESS && capPct > 0:
		return true, fmt.Sprintf("H.264 encoder capacity %d%%", capPct)
	case ret == nvml.ERROR_NOT_SUPPORTED:
		return false, "encoder capacity query not supported: no NVENC"
	}
	for _, c := range noEncoderCards {
		if strings.Contains(name, c) {
			return false, c + " has no NVENC (NVIDIA support matrix)"
		}
	}
	if ret == nvml.SUCCESS {
		return false, "H.264 encoder capacity 0%"
	}
	return false, fmt.Sprintf("encoder capacity unknown (%v)", ret)
}

func (s *nvmlSource) devices() []Device { return s.devs }

// read takes one sample; a field the device does not report is left
// out of Have, and the sample fails only when it reads nothing at all.
func (s *nvmlSource) read(i int, now time.Time) (Sample, error) {
	if i < 0 || i >= len(s.hs) {
		return Sample{}, fmt.Errorf("nvml: no device %d", i)
	}
	h := s.hs[i]
	smp := Sample{Device: i, Time: now}
	var lastErr nvml.Return = nvml.SUCCESS
	ok := func(m Metrics, ret nvml.Return) bool {
		if ret == nvml.SUCCESS {
			smp.Have |= m
			return true
		}
		lastErr = ret
		return false
	}
	if u, ret := h.GetUtilizationRates(); ok(MetricUtil, ret) {
		smp.UtilPct, smp.MemUtilPct = float64(u.Gpu), float64(u.Memory)
	}
	if u, _, ret := h.GetEncoderUtilization(); ok(MetricEncoder, ret) {
		smp.EncoderPct = float64(u)
	}
	if u, _, ret := h.GetDecoderUtilization(); ok(MetricDecoder, ret) {
		smp.DecoderPct = float64(u)
	}
	if m, ret := h.GetMemoryInfo(); ok(MetricMemory, ret) {
		smp.MemUsedBytes, smp.MemTotalBytes = m.Used, m.Total
	}
	if mw, ret := h.GetPowerUsage(); ok(MetricPower, ret) {
		smp.PowerWatts = float64(mw) / 1000
	}
	if mj, ret := h.GetTotalEnergyConsumption(); ok(MetricEnergy, ret) {
		smp.EnergyMillijoules = mj
	}
	smp.SMClockMHz, smp.MemClockMHz, smp.VideoClockMHz = clocks(h, &smp)
	if t, ret := h.GetTemperature(nvml.TEMPERATURE_GPU); ok(MetricTemperature, ret) {
		smp.TemperatureC = float64(t)
	}
	if smp.Have == 0 {
		return smp, fmt.Errorf("nvml device %d: no telemetry: %v", i, lastErr)
	}
	return smp, nil
}

// clocks reads the SM, memory and video clocks; MetricClocks is set only
// when all three are read.
func clocks(h nvml.Device, smp *Sample) (sm, mem, video float64) {
	var v [3]float64
	for j, c := range []nvml.ClockType{nvml.CLOCK_SM, nvml.CLOCK_MEM,
		nvml.CLOCK_VIDEO} {
		mhz, ret := h.GetClockInfo(c)
		if ret != nvml.SUCCESS {
			return 0, 0, 0
		}
		v[j] = float64(mhz)
	}
	smp.Have |= MetricClocks
	return v[0], v[1], v[2]
}

func (s *nvmlSource) close() error {
	if ret := s.lib.Shutdown(); ret != nvml.SUCCESS {
		return fmt.Errorf("nvml shutdown: %v", ret)
	}
	return nil
}
