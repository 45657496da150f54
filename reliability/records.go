package reliability

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scaletest/scaletest/harness/fault"
	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/reliability/pipeline"
)

// Target is the Key Target id of the records written here.
const Target = "reliability"

// Emit writes the records of o: availability and lost jobs judged against
// t, and as supporting figures the jobs created, the duplicates absorbed,
// the faults injected by kind, the recovery times and the stream entries
// a Redis restart lost. A broken variant's figures are supporting only:
// they prove the audit, they do not judge the platform.
func Emit(tb testing.TB, t targets.ReliabilityTarget, o *Outcome) {
	tb.Helper()
	target := Target
	if o.Variant != pipeline.Reference {
		target = ""
	}
	ctx := o.context()
	emit := func(r record.Record, note string) {
		tb.Helper()
		r.Note = note
		record.Emit(tb, r)
	}
	info := func(name string, v float64, unit, note string) {
		tb.Helper()
		emit(record.Record{Target: target, Name: name + " under " + o.Name,
			Value: v, Unit: unit, Verdict: record.Info,
			Source: record.Measured}, note)
	}

	if o.Variant == pipeline.Reference {
		emit(record.Judged(Target, "availability under "+o.Name,
			o.Availability, "fraction", record.Higher, t.Availability,
			record.Measured), ctx)
		emit(record.Judged(Target, "lost jobs under "+o.Name,
			float64(o.Audit.Lost), "jobs", record.Lower,
			float64(t.MaxLostJobs), record.Measured), ctx)
	} else {
		info("lost jobs", float64(o.Audit.Lost), "jobs",
			fmt.Sprintf("variant %s, built to lose jobs under this "+
				"schedule; %s", o.Variant, ctx))
	}
	info("jobs created", float64(o.Audit.Created), "jobs", ctx)
	info("duplicates absorbed", float64(o.Audit.Duplicates), "jobs",
		"results the idempotency key absorbed; "+ctx)

	kinds := o.Faults.Injected()
	for _, k := range slices.Sorted(func(yield func(fault.Kind) bool) {
		for k := range kinds {
			if !yield(k) {
				return
			}
		}
	}) {
		info("faults injected ("+string(k)+")", float64(kinds[k]), "faults", ctx)
	}
	for _, r := range o.Recovery {
		f := r.Fault.Fault.String()
		info("availability during "+f, r.Availability(), "fraction",
			fmt.Sprintf("%d of %d jobs due while the fault was in effect "+
				"were not available; %s", r.Failed, r.Jobs, ctx))
		info("recovery to first success after "+f,
			o.recoverySeconds(r, r.FirstSuccess), "s", recoveryNote(r.FirstSuccess,
				"from the fault's end to the next submit or result"))
		info("recovery to steady service after "+f,
			o.recoverySeconds(r, r.Steady), "s", recoveryNote(r.Steady,
				fmt.Sprintf("from the fault's end to the first job opening "+
					"%v of jobs all available within %v", SteadyWindow,
					r.Bound.Round(time.Millisecond))))
	}
	for _, l := range o.StreamLoss {
		note := fmt.Sprintf("Redis %s; %d entries acknowledged before %s",
			l.Persistence, l.Acked, l.Fault.Fault)
		info("redis stream entries lost by "+l.Fault.Fault.String(),
			float64(l.Lost), "entries", note)
		info("redis stream history lost by "+l.Fault.Fault.String(),
			l.Window.Seconds(), "s", "time from the oldest lost "+
				"acknowledgement to the fault; "+note)
	}
}

// context describes the run for the notes of its records.
func (o *Outcome) context() string {
	e := o.Experiment
	var faults []string
	var in time.Duration
	if o.Faults != nil {
		for _, a := range o.Faults.Faults {
			faults = append(faults, a.Fault.String())
			if !a.Start.IsZero() && !a.End.IsZero() {
				in += a.End.Sub(a.Began)
			}
		}
	}
	s := fmt.Sprintf("%d jobs at %.2f/s for %v (%s); deadlines: submit %v, "+
		"done %v, from each job's due time; faults: %s, in effect %.1fs",
		o.Audit.Scheduled, o.Load.JobsPerSecond, o.Load.Duration,
		o.Load.Note, e.SubmitDeadline, e.CompletionDeadline,
		strings.Join(faults, ", "), in.Seconds())
	if len(faults) == 0 {
		s = strings.Replace(s, "faults: , in effect 0.0s", "no faults", 1)
	}
	return s
}

// recoverySeconds turns a recovery time into seconds. One never reached
// is given as the time from the fault's end to the end of the load or the
// start of the next fault, whichever is first: a lower bound, and said so
// in the note.
func (o *Outcome) recoverySeconds(r Recovery, d time.Duration) float64 {
	if d >= 0 {
		return d.Seconds()
	}
	end := o.Origin.Add(o.Load.Duration)
	if next := o.nextFault(r.Fault.End); !next.IsZero() && next.Before(end) {
		end = next
	}
	return max(0, end.Sub(r.Fault.End).Seconds())
}

func recoveryNote(d time.Duration, what string) string {
	if d >= 0 {
		return what
	}
	return what + "; NOT REACHED before the load ended or the next fault " +
		"began: the value is a lower bound"
}
