//go:build !(gpu && linux && cgo)

package gpu

import (
	"errors"
	"testing"
)

func TestOpenWithoutGPUSupport(t *testing.T) {
	m, err := Open()
	if m != nil || !errors.Is(err, ErrNotCompiled) {
		t.Fatalf("Open() = %v, %v; want nil, ErrNotCompiled", m, err)
	}
}
