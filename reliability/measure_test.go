package reliability

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/scaletest/scaletest/harness/fault"
	"github.com/scaletest/scaletest/harness/targets"
)

// timeline builds an outcome of jobs due every 100 ms from t0, each done
// 50 ms after its due time unless outage says otherwise, with one fault
// from 1 s to 2 s.
func timeline(t0 time.Time, jobs int,
	outage func(due time.Duration) (submitted, done time.Duration)) *Outcome {
	o := &Outcome{Origin: t0, Experiment: Experiment{
		SubmitDeadline: time.Second, CompletionDeadline: 3 * time.Second}}
	for i := range jobs {
		due := time.Duration(i) * 100 * time.Millisecond
		sub, done := 5*time.Millisecond, 50*time.Millisecond
		if outage != nil {
			sub, done = outage(due)
		}
		op := Op{ID: fmt.Sprintf("job-%d", i), Due: t0.Add(due)}
		if sub >= 0 {
			op.Submitted = op.Due.Add(sub)
		}
		if done >= 0 {
			op.Done = op.Due.Add(done)
		}
		o.Ops = append(o.Ops, op)
	}
	f := fault.Fault{What: fault.Kill, Target: ServerPostgres, At: time.Second,
		Duration: time.Second}
	o.Faults = &fault.Report{Started: t0, Faults: []fault.Applied{{Fault: f,
		Began: t0.Add(time.Second), Start: t0.Add(time.Second),
		End: t0.Add(2 * time.Second)}}}
	return o
}

func TestMeasureWithoutDamage(t *testing.T) {
	o := timeline(time.Unix(1000, 0), 40, nil)
	o.measure()
	assert.Equal(t, 1.0, o.Availability)
	r := o.Recovery[0]
	assert.Equal(t, 11, r.Jobs, "jobs due from 1 s to 2 s inclusive")
	assert.Zero(t, r.Failed)
	assert.Equal(t, 150*time.Millisecond, r.Bound, "50 ms worst + 100 ms")
	assert.Equal(t, 5*time.Millisecond, r.FirstSuccess,
		"the job due at the fault's end was submitted 5 ms later")
	assert.Zero(t, r.Steady)
}

func TestMeasureOutage(t *testing.T) {
	t0 := time.Unix(1000, 0)
	// Submits fail from 1 s to 2 s; a backlog makes jobs due from 2 s to
	// 2.5 s slow (done at 2.9 s), within the completion deadline.
	o := timeline(t0, 40, func(due time.Duration) (time.Duration,
		time.Duration) {
		switch {
		case due >= time.Second && due < 2*time.Second:
			return -1, -1
		case due >= 2*time.Second && due < 2500*time.Millisecond:
			return 5 * time.Millisecond, 2900*time.Millisecond - due
		}
		return 5 * time.Millisecond, 50 * time.Millisecond
	})
	o.measure()
	assert.InDelta(t, 30.0/40, o.Availability, 1e-9, "10 jobs failed")
	assert.InDelta(t, 30.0/40, o.SubmitAvailability, 1e-9)
	r := o.Recovery[0]
	assert.Equal(t, 10, r.Failed)
	assert.Equal(t, 11, r.Jobs)
	assert.Equal(t, 5*time.Millisecond, r.FirstSuccess)
	assert.Equal(t, 500*time.Millisecond, r.Steady,
		"steady from the first job due after the backlog")
	assert.InDelta(t, 1.0/11, r.Availability(), 1e-9)
}

func TestMeasureNeverSteady(t *testing.T) {
	// Every job after the fault is late: no steady window before the end.
	o := timeline(time.Unix(1000, 0), 30, func(due time.Duration) (
		time.Duration, time.Duration) {
		if due >= time.Second {
			return 5 * time.Millisecond, 4 * time.Second
		}
		return 5 * time.Millisecond, 50 * time.Millisecond
	})
	o.measure()
	r := o.Recovery[0]
	assert.Equal(t, time.Duration(-1), r.Steady)
	assert.InDelta(t, 10.0/30, o.Availability, 1e-9)
}

func TestPeakLoad(t *testing.T) {
	cfg := targets.Default()
	for _, sc := range []targets.Scale{targets.ScaleShort, targets.ScaleLocal,
		targets.ScaleFull} {
		l := PeakLoad(cfg, sc)
		if want := cfg.Derive().PeakVideosPerSecond; l.JobsPerSecond != want {
			t.Errorf("PeakLoad(%s).JobsPerSecond = %v; want %v", sc,
				l.JobsPerSecond, want)
		}
		if want := cfg.Scales.For(sc).Duration; l.Duration != want {
			t.Errorf("PeakLoad(%s).Duration = %v; want %v", sc, l.Duration, want)
		}
		assert.Contains(t, l.Note, string(sc))
	}
}
