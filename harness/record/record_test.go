package record

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestJudge(t *testing.T) {
	nan := 0.0
	nan = nan / nan
	tests := []struct {
		value, threshold float64
		better           Better
		want             Verdict
	}{
		{1.5, 2, Lower, Pass},
		{2, 2, Lower, Pass},
		{2.1, 2, Lower, Fail},
		{0.9995, 0.999, Higher, Pass},
		{0.998, 0.999, Higher, Fail},
		{nan, 1, Higher, Fail},
	}
	for _, tt := range tests {
		if got := Judge(tt.value, tt.threshold, tt.better); got != tt.want {
			t.Errorf("Judge(%v, %v, %s) = %s; want %s",
				tt.value, tt.threshold, tt.better, got, tt.want)
		}
	}
}

func TestWriterConcurrentGoroutines(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	w, err := NewWriter(path)
	require.NoError(t, err)
	const n = 200
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := Judged("speed", fmt.Sprintf("rtf-%d", i), 0.5, "rtf", Lower, 2, Measured)
			r.Note = strings.Repeat("x", 3000) // longer than one pipe buffer
			if err := w.Write(r); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	recs, err := ReadFile(path)
	require.NoError(t, err)
	require.Len(t, recs, n)
}

// TestWriterConcurrentProcesses appends from several child processes at
// once; every line must come back whole.
func TestWriterConcurrentProcesses(t *testing.T) {
	if os.Getenv("RECORD_CHILD") != "" {
		w, err := NewWriter(os.Getenv("RECORD_CHILD"))
		require.NoError(t, err)
		for i := range 100 {
			r := Record{Name: fmt.Sprintf("p%d-%d", os.Getpid(), i), Value: float64(i),
				Unit: "ops/s", Verdict: Info, Source: Measured,
				Note: strings.Repeat("y", 5000)}
			require.NoError(t, w.Write(r))
		}
		return
	}
	path := filepath.Join(t.TempDir(), FileName)
	var cmds []*exec.Cmd
	for range 4 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWriterConcurrentProcesses$")
		cmd.Env = append(os.Environ(), "RECORD_CHILD="+path)
		require.NoError(t, cmd.Start())
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		require.NoError(t, c.Wait())
	}
	recs, err := ReadFile(path)
	require.NoError(t, err)
	require.Len(t, recs, 400)
}

func TestReadKeepsGoodLines(t *testing.T) {
	good := `{"target":"speed","name":"rtf","value":0.4,"unit":"rtf",` +
		`"verdict":"pass","source":"measured","time":"2026-12-03T00:00:00Z"}`
	in := good + "\n" +
		`{"name":"x","value":1,"unit":"u","verdict":"maybe","source":"measured"}` + "\n" +
		"\n" + good + "\n" +
		`{"name":"trunc","val` // a run killed mid-write
	recs, err := Read("records.jsonl", strings.NewReader(in))
	require.Len(t, recs, 2, "good records must survive bad lines")
	require.Error(t, err)
	var le *LineError
	require.True(t, errors.As(err, &le))
	require.Contains(t, err.Error(), `records.jsonl:2: record "x": unknown verdict "maybe"`)
	require.Contains(t, err.Error(), "records.jsonl:5:")
}

func TestEmitStampsRecord(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvResults, dir)
	// Emit caches its writer; use a fresh one for this directory.
	defaultOnce = sync.Once{}
	t.Cleanup(func() { defaultOnce = sync.Once{} })
	Emit(t, Judged("cost", "usd-per-video", 0.08, "USD/video", Lower, 0.1, Config))
	recs, err := ReadFile(filepath.Join(dir, FileName))
	require.NoError(t, err)
	require.Len(t, recs, 1)
	r := recs[0]
	require.Equal(t, Pass, r.Verdict)
	require.Equal(t, "TestEmitStampsRecord", r.Test)
	require.Equal(t, "harness/record", r.Package)
	require.NotEmpty(t, r.Machine)
	require.NotEmpty(t, r.Scale)
	require.False(t, r.Time.IsZero())
}

func TestWriteRejectsInvalid(t *testing.T) {
	w, err := NewWriter(filepath.Join(t.TempDir(), FileName))
	require.NoError(t, err)
	require.ErrorContains(t, w.Write(Record{Name: "x", Verdict: Pass, Source: Measured}),
		"has no unit")
}
