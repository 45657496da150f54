//go:build !(gpu && linux && cgo)

package gpu

// Open reports that this build has no GPU support: build with -tags gpu
// on Linux with cgo.
func Open() (*Monitor, error) { return nil, ErrNotCompiled }
