package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/scorecard"
)

// figure states a record's value with its unit ("rtf-1080p = 0.41 rtf").
func figure(r record.Record) string {
	return fmt.Sprintf("%s = %s %s", r.Name, scorecard.FormatValue(r.Value), r.Unit)
}

// threshold states a record's bound with its direction ("<= 2"), or "-"
// for a figure without one.
func threshold(r record.Record) string {
	if r.Threshold == nil {
		return "-"
	}
	op := "<="
	if r.Better == record.Higher {
		op = ">="
	}
	return fmt.Sprintf("%s %s", op, scorecard.FormatValue(*r.Threshold))
}

// verdictWord is the verdict in capitals, as headlines show it.
func verdictWord(v record.Verdict) string {
	if v == record.NotMeasured {
		return "NOT MEASURED"
	}
	return strings.ToUpper(string(v))
}

// headline sums up a scorecard in one sentence.
func headline(sc *scorecard.Scorecard) string {
	return fmt.Sprintf("%s: %d of %d targets pass, %d fail, %d not measured",
		verdictWord(sc.Verdict), sc.Passed, len(sc.Rows), sc.Failed, sc.NotMeasured)
}

// roundDuration keeps durations readable: whole seconds past a minute.
func roundDuration(seconds float64) string {
	d := time.Duration(seconds * float64(time.Second))
	switch {
	case d >= time.Minute:
		return d.Round(time.Second).String()
	case d >= time.Second:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// shortCommit trims a commit hash to 12 characters.
func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// runMeta is the line of facts under a run's title.
func runMeta(r *Run) []string {
	m := r.Manifest
	if m == nil {
		return []string{"run details unknown: no readable run.json"}
	}
	meta := []string{"scale " + m.Scale,
		"started " + m.Start.UTC().Format("2006-01-02 15:04:05 UTC"),
		"took " + roundDuration(m.DurationSeconds)}
	if m.GitCommit != "" {
		c := "commit " + shortCommit(m.GitCommit)
		if m.GitDirty {
			c += " (uncommitted changes)"
		}
		meta = append(meta, c)
	}
	if m.GPU {
		meta = append(meta, "tags gpu")
	}
	if m.Interrupted {
		meta = append(meta, "INTERRUPTED")
	}
	meta = append(meta, "machine "+m.Machine)
	return meta
}

// category is the category a record belongs to: the first element of
// its package path, else its target's deciding category, else "other".
func category(r record.Record) string {
	if r.Package != "" {
		c, _, _ := strings.Cut(r.Package, "/")
		return c
	}
	if cats := scorecard.MeasuredBy(r.Target); len(cats) > 0 {
		return cats[0]
	}
	return "other"
}
