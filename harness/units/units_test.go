package units

import "testing"

func TestString(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"cents", USD(0.1).String(), "$0.1000"},
		{"tiny", USD(0.00042).String(), "$0.00042"},
		{"large", USD(123456.789).String(), "$123456.79"},
		{"TB", (50 * TB).String(), "50 TB"},
		{"bytes", Bytes(512).String(), "512 B"},
		{"Gbps", (10 * Gbps).String(), "10 Gbit/s"},
		{"Mbps", BitsPerSecond(8e6).String(), "8 Mbit/s"},
		{"bits", BytesPerSecond(1.25e9).Bits().String(), "10 Gbit/s"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: String() = %q; want %q", tt.name, tt.got, tt.want)
		}
	}
}
