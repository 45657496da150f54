package scalability

import (
	"fmt"
	"testing"
	"time"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/stretchr/testify/require"
)

func rec(name string, v float64, unit string) record.Record {
	return record.Record{Name: name, Value: v, Unit: unit, Verdict: record.Info,
		Source: record.Measured, Time: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
}

func TestMeasurementsFromRecords(t *testing.T) {
	later := rec("db/postgres/ops-at-slo", 9000, "ops/s")
	later.Time = later.Time.Add(time.Hour)
	notMeasured := rec("db/redis/ops-at-slo", 1, "ops/s")
	notMeasured.Verdict = record.NotMeasured
	recs := []record.Record{
		later,
		rec("db/postgres/ops-at-slo", 5000, "ops/s"), // older: loses
		notMeasured,
		rec("rtf/standard/code-1080p30", 0.4, "rtf"),
		rec("rtf/standard/code-1080p30", 0.4, "x"), // later in file, same time
		rec("rtf/standard/code-1080p30/encode-1080p-h264", 0.2, "rtf"),
		rec("cpu-sec-per-media-sec/standard/slides-1080p30", 1.2, "s/s"),
		rec("gpu/l4/encode-fps", 1200, "frames/s"),
		rec("gpu/L4/decode-fps", 2900, "fps"),
		rec("something/else", 1, "x"),
	}
	for n := 1; n <= 6; n++ {
		recs = append(recs, rec("usl/encode-node/"+string(rune('0'+n)), float64(10*n), "1/s"))
		// performance/dbload's form: one name, the concurrency in the note,
		// a rerun of a point replacing it.
		u := rec("usl/redis/cache_get", float64(100*n), "ops/s")
		u.Note = fmt.Sprintf("concurrency=%d; p99=3ms", n)
		recs = append(recs, u, u)
	}
	vps := rec("dbload/postgres/videos-per-second-at-slo", 9.1, "videos/s")
	vps.Note = "bounded: the next rate failed; 7 steps"
	recs = append(recs, vps, rec("dbload/redis/videos-per-second-at-slo", 0, "videos/s"))
	m := MeasurementsFromRecords(recs)
	require.Equal(t, 9000.0, m.DBOpsPerSecond["postgres"].Value, "latest wins")
	require.NotContains(t, m.DBOpsPerSecond, "redis", "not-measured is passed over")
	require.Empty(t, m.RTF["standard"], "the latest rtf record has the wrong unit")
	require.Len(t, m.CPUSecondsPerMediaSecond["standard"], 1)
	got := m.CPUSecondsPerMediaSecond["standard"][0]
	require.Equal(t, "slides-1080p30", got.Input)
	require.Equal(t, 1080, got.Height)
	require.Equal(t, 1200.0, m.GPUEncodeFPS["L4"].Value)
	require.Equal(t, 2900.0, m.GPUDecodeFPS["L4"].Value)
	require.Len(t, m.USL["encode-node"], 6)
	require.Len(t, m.USL["redis/cache_get"], 6)
	require.Equal(t, 9.1, m.DBVideosPerSecond["postgres"].Value)
	require.NotContains(t, m.DBVideosPerSecond, "redis", "a knee of 0 is no capacity")
	require.NotEmpty(t, m.Notes)
	joined := ""
	for _, n := range m.Notes {
		joined += n + "\n"
	}
	require.Contains(t, joined, `rtf/standard/code-1080p30: unit "x"`)
	require.Contains(t, joined, "db/redis/ops-at-slo: not-measured")
	require.Contains(t, joined, "dbload/redis/videos-per-second-at-slo: 0 is no capacity")
}
