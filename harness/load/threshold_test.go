package load

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseThreshold(t *testing.T) {
	cases := []struct {
		in     string
		metric string
		op     string
		bound  float64
		text   string
	}{
		{"p99 < 50ms", "p99", "<", 0.05, "p99 < 50ms"},
		{"p99.9<=200ms", "p99.9", "<=", 0.2, "p99.9 <= 200ms"},
		{" p50 >= 1us ", "p50", ">=", 1e-6, "p50 >= 1us"},
		{"max <= 1s", "max", "<=", 1, "max <= 1s"},
		{"mean < 2ms", "mean", "<", 0.002, "mean < 2ms"},
		{"service.p99 < 5ms", "service.p99", "<", 0.005, "service.p99 < 5ms"},
		{"errors < 0.1%", "errors", "<", 0.001, "errors < 0.1%"},
		{"errors < 0.002", "errors", "<", 0.002, "errors < 0.002"},
		{"late <= 1%", "late", "<=", 0.01, "late <= 1%"},
		{"rate >= 95%", "rate", ">=", 0.95, "rate >= 95%"},
		{"rate > 1000/s", "rate", ">", 1000, "rate > 1000/s"},
	}
	for _, c := range cases {
		got, err := ParseThreshold(c.in)
		if !assert.NoError(t, err, "ParseThreshold(%q)", c.in) {
			continue
		}
		assert.Equal(t, c.metric, got.Metric, "ParseThreshold(%q).Metric", c.in)
		assert.Equal(t, c.op, got.Op, "ParseThreshold(%q).Op", c.in)
		assert.InDelta(t, c.bound, got.Bound, 1e-12, "ParseThreshold(%q).Bound", c.in)
		assert.Equal(t, c.text, got.String(), "ParseThreshold(%q).String()", c.in)
	}
}

func TestParseThresholdErrorsNameTheToken(t *testing.T) {
	cases := []struct{ in, token string }{
		{"p99 50ms", "p99 50ms"},
		{"p99 < 50xs", "50xs"},
		{"p99 < -5ms", "-5ms"},
		{"p1000 < 5ms", "p1000"},
		{"px < 5ms", "px"},
		{"latency < 5ms", "latency"},
		{"errors < lots", "lots"},
		{"errors < 5ms", "5ms"},
		{"rate >= 0.95", "0.95"},
		{"rate >= fast/s", "fast/s"},
		{"service.errors < 1%", "service.errors"},
		{"p99 <", "<"},
	}
	for _, c := range cases {
		_, err := ParseThreshold(c.in)
		var te *ThresholdError
		if !assert.True(t, errors.As(err, &te),
			"ParseThreshold(%q) = %v; want a *ThresholdError", c.in, err) {
			continue
		}
		assert.Equal(t, c.token, te.Token, "ParseThreshold(%q) token", c.in)
		assert.Contains(t, err.Error(), `"`+c.token+`"`)
	}

	_, err := ParseThresholds("p99 < 5ms", "p99 < 5xs", "bogus < 1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"5xs"`)
	assert.Contains(t, err.Error(), `"bogus"`)
	assert.Panics(t, func() { MustParseThresholds("p99 5ms") })
}

func TestCheck(t *testing.T) {
	res := newResult(0)
	for i := range 1000 {
		res.Latency.Record(time.Duration(i+1) * time.Millisecond)
		res.Service.Record(time.Millisecond)
	}
	res.Target, res.Scheduled, res.Completed = 100, 1000, 1000
	res.Elapsed = 10500 * time.Millisecond // 95.2/s
	res.Errors, res.Late, res.Dropped = 2, 5, 5

	cases := []struct {
		th   string
		want float64
		pass bool
	}{
		{"p50 < 600ms", 0.5, true},
		{"p99 < 900ms", 0.99, false},
		{"p99.9 <= 1s", 0.999, true},
		{"max < 1s", 1.0, false},
		{"mean < 1s", 0.5005, true},
		{"service.p99 <= 1001us", 0.001, true},
		{"service.p99 < 1ms", 0.001, false}, // reported at its bucket's top
		{"errors < 0.1%", 0.002, false},
		{"errors < 0.5%", 0.002, true},
		{"late <= 1%", 0.01, true},
		{"rate >= 95%", 0.952, true},
		{"rate >= 99%", 0.952, false},
		{"rate > 90/s", 95.24, true},
	}
	var ths []Threshold
	for _, c := range cases {
		th, err := ParseThreshold(c.th)
		require.NoError(t, err)
		ths = append(ths, th)
		o := th.Eval(res)
		assert.InEpsilon(t, c.want, o.Value, 0.002, "%s: value", c.th)
		assert.Equal(t, c.pass, o.Pass, "%s", o)
	}
	_, pass := Check(res, ths)
	assert.False(t, pass)

	// Too few samples for a percentile: not judged, left out of Check.
	few := newResult(0)
	for range 50 {
		few.Latency.Record(time.Second)
	}
	outs, pass := Check(few, MustParseThresholds("p99 < 1ms", "p50 < 2s"))
	assert.False(t, outs[0].Judged, "p99 of 50 samples judged")
	assert.Equal(t, int64(50), outs[0].Samples)
	assert.Contains(t, outs[0].String(), "not judged (50 samples, 100 needed)")
	assert.True(t, outs[1].Judged && outs[1].Pass, "p50 of 50 samples")
	assert.True(t, pass, "Check with the unjudged outcome left out")

	// No data never passes.
	empty := newResult(0)
	for _, s := range []string{"p99 < 1h", "errors < 100%", "rate >= 0%"} {
		o := MustParseThresholds(s)[0].Eval(empty)
		assert.True(t, math.IsNaN(o.Value), "%s on an empty result: value %v", s, o.Value)
		assert.False(t, o.Pass, "%s on an empty result passes", s)
		assert.True(t, o.Judged, "%s on an empty result is judged", s)
	}
}
