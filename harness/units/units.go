// Package units gives the suite's quantities types that carry their unit,
// so that a number never travels without one.
package units

import "fmt"

// USD is an amount of money in US dollars.
type USD float64

// String formats d with a dollar sign, more digits for small amounts.
func (d USD) String() string {
	switch a := float64(d); {
	case a != 0 && a < 0.01 && a > -0.01:
		return fmt.Sprintf("$%.5f", a)
	case a < 100 && a > -100:
		return fmt.Sprintf("$%.4f", a)
	default:
		return fmt.Sprintf("$%.2f", a)
	}
}

// Bytes is a count of bytes.
type Bytes float64

// Decimal byte multiples (SI), as storage and network vendors count them.
const (
	KB Bytes = 1e3
	MB Bytes = 1e6
	GB Bytes = 1e9
	TB Bytes = 1e12
	PB Bytes = 1e15
)

// String formats b in the largest SI multiple below it.
func (b Bytes) String() string {
	for _, u := range []struct {
		v    Bytes
		name string
	}{{PB, "PB"}, {TB, "TB"}, {GB, "GB"}, {MB, "MB"}, {KB, "kB"}} {
		if b >= u.v || b <= -u.v {
			return fmt.Sprintf("%.3g %s", float64(b/u.v), u.name)
		}
	}
	return fmt.Sprintf("%.0f B", float64(b))
}

// BitsPerSecond is a data rate in bit/s.
type BitsPerSecond float64

// Gbps is one gigabit per second (10^9 bit/s).
const Gbps BitsPerSecond = 1e9

// String formats r in Gbit/s or Mbit/s.
func (r BitsPerSecond) String() string {
	if r >= Gbps || r <= -Gbps {
		return fmt.Sprintf("%.3g Gbit/s", float64(r/Gbps))
	}
	return fmt.Sprintf("%.3g Mbit/s", float64(r/1e6))
}

// BytesPerSecond is a data rate in byte/s.
type BytesPerSecond float64

// Bits converts r to bits per second.
func (r BytesPerSecond) Bits() BitsPerSecond { return BitsPerSecond(r * 8) }
