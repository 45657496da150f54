package fault

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadEveryKind(t *testing.T) {
	y, err := Load("testdata/every-kind.yaml")
	require.NoError(t, err)
	j, err := Load("testdata/every-kind.json")
	require.NoError(t, err)
	require.Equal(t, y.Faults, j.Faults, "YAML and JSON forms differ")

	var kinds []Kind
	for _, f := range y.Faults {
		kinds = append(kinds, f.What)
	}
	assert.ElementsMatch(t, Kinds, kinds, "testdata covers every kind")
	assert.Equal(t, "every-kind", y.Name)
	assert.Equal(t, Fault{What: Latency, Target: "redis", Duration: time.Second,
		Params: Params{Latency: 100 * time.Millisecond,
			Jitter: 20 * time.Millisecond, Stream: Downstream}}, y.Faults[0])
	assert.Equal(t, 10*time.Microsecond, y.Faults[5].Params.Delay)
	assert.Equal(t, 5*time.Second, y.End())
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // each must appear in the error
	}{
		{"syntax", "faults: [", []string{"s.yaml:1: syntax:"}},
		{"empty", "", []string{"empty schedule"}},
		{"not a mapping", "- 1", []string{"want a mapping"}},
		{"unknown top-level key", "fautls: []",
			[]string{"s.yaml:1: fautls: unknown field (known: name, faults)"}},
		{"faults not a list", "faults: {}", []string{"faults: want a list"}},
		{"unknown fault key and bad duration",
			"faults:\n  - what: latency\n    target: r\n    at: soon\n" +
				"    durtion: 1s\n",
			[]string{
				`s.yaml:4: faults[0].at: want a duration such as "1.5s"` +
					` or "200ms", got "soon"`,
				"s.yaml:5: faults[0].durtion: unknown field",
			}},
		{"duplicate key", "faults:\n  - {what: kill, what: pause}\n",
			[]string{"s.yaml:2: faults[0].what: duplicate key"}},
		{"param of another kind",
			"faults:\n- what: kill\n  target: pg\n  duration: 1s\n" +
				"  params:\n    latency: 1s\n",
			[]string{"s.yaml:6: faults[0].params.latency: not a parameter " +
				"of kill (known: none)"}},
		{"wrong types",
			"faults:\n- what: bandwidth\n  target: r\n  duration: 1s\n" +
				"  params: {kilobytes_per_second: fast, toxicity: high}\n",
			[]string{`faults[0].params.kilobytes_per_second: want a whole ` +
				`number, got "fast"`, `toxicity: want a number, got "high"`}},
		{"list where a string goes",
			"faults:\n- what: [kill]\n  target: pg\n",
			[]string{"s.yaml:2: faults[0].what: want a string"}},
		{"unknown kind, missing target and duration",
			"faults:\n- what: melt\n  at: 1s\n- what: latency\n  target: r\n" +
				"  params: {latency: 1s}\n",
			[]string{
				`s.yaml:2: faults[0].what: unknown kind "melt"`,
				"s.yaml:2: faults[0].target: missing",
				"s.yaml:4: faults[1].duration: required for latency",
			}},
		{"impossible values",
			"faults:\n- what: slicer\n  target: r\n  duration: 1s\n" +
				"  params:\n    average_size: 8\n    size_variation: 8\n" +
				"    stream: sideways\n    toxicity: 2\n" +
				"- what: restart\n  target: pg\n  duration: 1s\n" +
				"- what: partition\n  target: r\n  duration: -1s\n" +
				"  params: {mode: sometimes}\n",
			[]string{
				"s.yaml:7: faults[0].params.size_variation: must be at " +
					"least 0 and below average_size (8), got 8",
				`s.yaml:8: faults[0].params.stream: want upstream, ` +
					`downstream or both, got "sideways"`,
				"s.yaml:9: faults[0].params.toxicity: must be 0 to 1",
				"s.yaml:12: faults[1].duration: restart is instantaneous",
				"s.yaml:15: faults[2].duration: must not be negative",
				`s.yaml:16: faults[2].params.mode: want refuse or ` +
					`blackhole, got "sometimes"`,
			}},
		{"required parameter",
			"faults:\n- {what: limit_data, target: r, duration: 1s}\n",
			[]string{"s.yaml:2: faults[0].params.bytes: required for " +
				"limit_data"}},
		{"overlapping outages",
			"faults:\n- {what: kill, target: pg, at: 1s, duration: 2s}\n" +
				"- {what: pause, target: pg, at: 2s, duration: 2s}\n",
			[]string{"s.yaml:3: faults[1]: pause overlaps faults[0] (kill) " +
				`on target "pg"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.in))
			require.Error(t, err)
			var fe *FieldError
			require.True(t, errors.As(err, &fe), "error %v has no FieldError", err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Equal(t, len(tt.want), strings.Count(err.Error(), "\n")+1,
				"Parse(%q) reported:\n%v", tt.in, err)
		})
	}
}

func TestValidateBuiltSchedule(t *testing.T) {
	s := &Schedule{Faults: []Fault{
		{What: Latency, Target: "r", Duration: time.Second,
			Params: Params{Latency: time.Millisecond, Count: 3}},
		{What: Crash, Target: "w", Params: Params{Count: 2}},
	}}
	err := s.Validate()
	require.Error(t, err)
	assert.Equal(t, "faults[0].params.count: not a parameter of latency "+
		"(known: jitter, latency, stream, toxicity)", err.Error())
}

func TestFaultString(t *testing.T) {
	tests := []struct {
		f    Fault
		want string
	}{
		{Fault{What: Kill, Target: "pg", At: time.Second,
			Duration: 2 * time.Second}, "kill pg at 1s for 2s"},
		{Fault{What: Restart, Target: "redis"}, "restart redis at 0s"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("%#v.String() = %q; want %q", tt.f, got, tt.want)
		}
	}
}
