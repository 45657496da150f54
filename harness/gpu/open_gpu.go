//go:build gpu && linux && cgo

package gpu

import "github.com/NVIDIA/go-nvml/pkg/nvml"

// Open loads the NVIDIA driver's NVML library (libnvidia-ml.so.1),
// initialises it and lists the GPUs. Without a driver the error wraps
// ErrNoDriver and no other NVML call is made.
func Open() (*Monitor, error) {
	return OpenNVML(nvml.New())
}
