package gpu

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrNotCompiled is returned by Open in a build without the gpu tag.
var ErrNotCompiled = errors.New("no GPU support compiled in: " +
	"build with -tags gpu (needs cgo on Linux)")

// ErrNoDriver is wrapped by Open's error when the NVML library cannot be
// loaded or initialised: no NVIDIA driver on this machine.
var ErrNoDriver = errors.New("NVIDIA driver not available")

// Device describes one GPU.
type Device struct {
	Index int
	Name  string
	UUID  string
	// MemTotalBytes is the frame-buffer size.
	MemTotalBytes uint64
	// MIG is set when the device runs in MIG mode (no encoder or decoder
	// utilisation then).
	MIG bool
	// NVENC says whether the card has hardware H.264 encoders; NVENCWhy
	// says how that was decided.
	NVENC    bool
	NVENCWhy string
}

// source reads telemetry; the NVML binding and test fakes implement it.
type source interface {
	devices() []Device
	// read takes one sample of device i at time now.
	read(i int, now time.Time) (Sample, error)
	close() error
}

// Monitor samples the GPUs of this machine. Its methods may be called
// from one goroutine at a time, apart from a running Recording.
type Monitor struct {
	src source
}

// newMonitor wraps an opened source.
func newMonitor(src source) *Monitor { return &Monitor{src: src} }

// Devices lists the GPUs found when the Monitor was opened.
func (m *Monitor) Devices() []Device { return m.src.devices() }

// Sample reads every device once. A device that fails to read is
// skipped and its error joined into the returned one.
func (m *Monitor) Sample() ([]Sample, error) {
	now := time.Now()
	var out []Sample
	var errs []error
	for _, d := range m.src.devices() {
		s, err := m.src.read(d.Index, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, s)
	}
	return out, errors.Join(errs...)
}

// Close releases the NVML library.
func (m *Monitor) Close() error { return m.src.close() }

// Recording is a running sampler started by Record.
type Recording struct {
	m      *Monitor
	cancel context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex
	samples []Sample
	errs    int
	lastErr error
}

// Record samples every device at once and then every interval until
// Stop or until ctx ends; Stop takes a last sample. An interval of zero
// or less means 100ms.
func (m *Monitor) Record(ctx context.Context, interval time.Duration) *Recording {
	if interval <= 0 {
		interval = 100 * time.Millisecond
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &Recording{m: m, cancel: cancel, done: make(chan struct{})}
	r.take()
	go func() {
		defer close(r.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				r.take()
			}
		}
	}()
	return r
}

func (r *Recording) take() {
	ss, err := r.m.Sample()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.samples = append(r.samples, ss...)
	if err != nil {
		r.errs++
		r.lastErr = err
	}
}

// Stop ends the recording, takes a last sample and returns every sample
// in time order. The error, when not nil, counts the failed readings and
// wraps the last one; the samples are still usable.
func (r *Recording) Stop() ([]Sample, error) {
	r.cancel()
	<-r.done
	r.take()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.errs > 0 {
		return r.samples, fmt.Errorf("gpu telemetry: %d of the readings "+
			"failed, last: %w", r.errs, r.lastErr)
	}
	return r.samples, nil
}
