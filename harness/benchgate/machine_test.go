package benchgate

import (
	"regexp"
	"testing"
)

func TestClassOf(t *testing.T) {
	tests := []struct {
		model string
		n     int
		want  string
	}{
		{"AMD EPYC", 2, "amd-epyc-x2"},
		{"Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", 32,
			"intel-r-xeon-r-platinum-8375c-cpu-2-90ghz-x32"},
		{"  Apple M2  ", 8, "apple-m2-x8"},
		{"", 4, "unknown-cpu-x4"},
	}
	for _, tt := range tests {
		if got := ClassOf(tt.model, tt.n); got != tt.want {
			t.Errorf("ClassOf(%q, %d) = %q; want %q", tt.model, tt.n, got, tt.want)
		}
	}
}

func TestMachineClassIsAPathName(t *testing.T) {
	got := MachineClass()
	if !regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*-x[0-9]+$`).MatchString(got) {
		t.Errorf("MachineClass() = %q; want lowercase words and dashes ending -xN", got)
	}
}
