//go:build gpu && linux && cgo

package gpu

import (
	"errors"
	"testing"
)

// TestOpenDriver opens the real NVML library: on a GPU machine it lists
// the cards; without a driver it must fail cleanly, not kill the process.
func TestOpenDriver(t *testing.T) {
	m, err := Open()
	if errors.Is(err, ErrNoDriver) {
		t.Skipf("no NVIDIA driver (%v): run on a machine with an NVIDIA "+
			"GPU and driver to test NVML", err)
	}
	if err != nil {
		t.Fatalf("Open() error = %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if len(m.Devices()) == 0 {
		t.Fatal("Open() found no GPU")
	}
	ss, err := m.Sample()
	if err != nil {
		t.Fatalf("Sample() error = %v", err)
	}
	for _, s := range ss {
		if s.Have == 0 {
			t.Errorf("device %d: sample holds no telemetry", s.Device)
		}
	}
}
