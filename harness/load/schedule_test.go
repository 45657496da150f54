package load

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dueWithin counts the operations of s due in [a, b).
func dueWithin(s Schedule, a, b time.Duration) int64 {
	var n int64
	for i := int64(0); ; i++ {
		t, ok := s.Start(i)
		if !ok || t >= b {
			return n
		}
		if t >= a {
			n++
		}
	}
}

// checkSchedule checks what every schedule must do: Count operations,
// due times that never decrease and lie within the schedule, and as many
// operations due in each window as the rate integrates to (within one).
func checkSchedule(t *testing.T, s Schedule, windows int) {
	t.Helper()
	n := s.Count()
	require.Positive(t, n)
	prev := time.Duration(-1)
	for i := int64(0); i < n; i++ {
		at, ok := s.Start(i)
		require.True(t, ok, "Start(%d) not ok; Count = %d", i, n)
		require.GreaterOrEqual(t, at, prev, "Start(%d) = %v before Start(%d)", i, at, i-1)
		require.Less(t, at, s.Duration()+time.Microsecond, "Start(%d)", i)
		prev = at
	}
	_, ok := s.Start(n)
	assert.False(t, ok, "Start(Count()) is ok")

	w := s.Duration() / time.Duration(windows)
	for k := range windows {
		a, b := w*time.Duration(k), w*time.Duration(k+1)
		want := integrate(s, a, b)
		got := float64(dueWithin(s, a, b))
		assert.InDelta(t, want, got, 1.01, "operations due in [%v, %v)", a, b)
	}
}

// integrate is the integral of s.Rate over [a, b), by the midpoint rule.
func integrate(s Schedule, a, b time.Duration) float64 {
	const steps = 1000
	h := (b - a) / steps
	sum := 0.0
	for k := range steps {
		sum += s.Rate(a+h*time.Duration(k)+h/2) * h.Seconds()
	}
	return sum
}

func TestConstant(t *testing.T) {
	s := Constant{PerSecond: 200, For: 2 * time.Second}
	require.NoError(t, s.Validate())
	assert.Equal(t, int64(400), s.Count())
	for _, c := range []struct {
		i    int64
		want time.Duration
	}{{0, 0}, {1, 5 * time.Millisecond}, {399, 1995 * time.Millisecond}} {
		got, ok := s.Start(c.i)
		assert.True(t, ok)
		assert.Equal(t, c.want, got, "Start(%d)", c.i)
	}
	checkSchedule(t, s, 10)
}

func TestRamp(t *testing.T) {
	for _, r := range []Ramp{
		{From: 0, To: 100, For: 10 * time.Second},
		{From: 100, To: 10, For: 3 * time.Second},
		{From: 50, To: 50, For: time.Second},
	} {
		t.Run("", func(t *testing.T) {
			require.NoError(t, r.Validate())
			want := (r.From + r.To) / 2 * r.For.Seconds()
			assert.Equal(t, int64(math.Ceil(want)), r.Count())
			checkSchedule(t, r, 10)
		})
	}
	// From 0 the due times follow t = sqrt(2 i For / To).
	r := Ramp{From: 0, To: 100, For: 10 * time.Second}
	got, _ := r.Start(50)
	assert.InDelta(t, math.Sqrt(2*50*10.0/100), got.Seconds(), 1e-9)
}

func TestCurveFollowsTheHourlyShape(t *testing.T) {
	hourly := []float64{0.50, 0.42, 0.40, 0.38, 0.40, 0.50, 0.70, 0.95,
		1.20, 1.40, 1.55, 1.62, 1.65, 1.60, 1.55, 1.45,
		1.35, 1.25, 1.10, 1.00, 0.85, 0.80, 0.70, 0.70}
	c, err := Steps(100, hourly, 24*time.Second)
	require.NoError(t, err)
	assert.Equal(t, 24*time.Second, c.Duration())
	for h, w := range hourly {
		a := time.Duration(h) * time.Second
		assert.InDelta(t, 100*w, float64(dueWithin(c, a, a+time.Second)), 1.01,
			"operations in hour %d", h)
		assert.InDelta(t, 100*w, c.Rate(a+time.Second/2), 1e-9, "Rate in hour %d", h)
	}
	checkSchedule(t, c, 24)
}

func TestCurveMixedSegments(t *testing.T) {
	c, err := NewCurve(
		Segment{From: 0, To: 100, For: time.Second},
		Segment{From: 0, To: 0, For: time.Second},
		Segment{From: 100, To: 100, For: time.Second},
		Segment{From: 100, To: 20, For: 2 * time.Second},
	)
	require.NoError(t, err)
	assert.Equal(t, int64(50+0+100+120), c.Count())
	assert.Equal(t, int64(0), dueWithin(c, 1050*time.Millisecond, 2*time.Second),
		"operations due in the silent segment")
	checkSchedule(t, c, 50)
}

func TestScheduleValidation(t *testing.T) {
	bad := []struct {
		name string
		err  func() error
	}{
		{"constant zero rate", Constant{PerSecond: 0, For: time.Second}.Validate},
		{"constant NaN", Constant{PerSecond: math.NaN(), For: time.Second}.Validate},
		{"constant no length", Constant{PerSecond: 1}.Validate},
		{"ramp negative", Ramp{From: -1, To: 5, For: time.Second}.Validate},
		{"ramp infinite", Ramp{From: 1, To: math.Inf(1), For: time.Second}.Validate},
		{"curve empty", func() error { _, err := NewCurve(); return err }},
		{"curve silent", func() error {
			_, err := NewCurve(Segment{For: time.Second})
			return err
		}},
		{"curve bad segment", func() error {
			_, err := NewCurve(Segment{From: 1, To: 1, For: time.Second},
				Segment{From: 1, To: 1, For: -time.Second})
			return err
		}},
		{"steps no weights", func() error {
			_, err := Steps(1, nil, time.Second)
			return err
		}},
	}
	for _, c := range bad {
		assert.Error(t, c.err(), c.name)
	}
}
