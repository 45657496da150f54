package planner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/scaletest/scaletest/harness/record"
)

// Record names the planner writes, all with Target "youtube".
const (
	// RecAchievable is the uploads per day the configured quota and
	// channels allow, judged against the target.
	RecAchievable = "uploads_per_day_achievable"
	// RecAchievablePeak is the same judged against the week's peak day.
	RecAchievablePeak = "uploads_per_day_achievable_peak_day"
	// RecQuotaNeeded is followed by "_<bucket>": units per day needed
	// for the target.
	RecQuotaNeeded = "quota_units_per_day_needed"
	// RecExtension is followed by "_<bucket>": units per day to request
	// so that the peak day fits.
	RecExtension = "quota_extension_units_per_day"
	// RecChannelsNeeded is channels for the peak day at the planning cap;
	// RecChannelsNeededLowCap at the lowest cap reported.
	RecChannelsNeeded       = "channels_needed"
	RecChannelsNeededLowCap = "channels_needed_low_cap"
)

// Records returns the plan as records.
func (p Plan) Records() []record.Record {
	note := p.note()
	judged := func(name string, threshold float64) record.Record {
		r := record.Judged("youtube", name, p.Achievable, "uploads/day",
			record.Higher, threshold, p.Source)
		r.Note = note
		return r
	}
	info := func(name string, v float64, unit string, better record.Better,
		extra string) record.Record {
		return record.Record{Target: "youtube", Name: name, Value: v,
			Unit: unit, Better: better, Verdict: record.Info,
			Source: p.Source, Note: extra + note}
	}
	out := []record.Record{
		judged(RecAchievable, p.Target),
		judged(RecAchievablePeak, p.PeakDayUploads),
	}
	for _, n := range p.Needs {
		out = append(out,
			info(RecQuotaNeeded+"_"+string(n.Bucket), n.Demand, "units/day",
				record.Lower, fmt.Sprintf("%.4g units per upload, %.0f "+
					"configured. ", n.PerUpload, n.Supply)),
			info(RecExtension+"_"+string(n.Bucket), n.Extension, "units/day",
				record.Lower, fmt.Sprintf("peak day needs %.0f, %.0f "+
					"configured. ", n.PeakDay, n.Supply)))
	}
	out = append(out,
		info(RecChannelsNeeded, float64(p.ChannelsNeeded), "channels",
			record.Lower, fmt.Sprintf("at %.4g uploads per channel per day, "+
				"%d configured. ", p.ChannelCap, p.ChannelsConfigured)),
		info(RecChannelsNeededLowCap, float64(p.ChannelsNeededLowCap),
			"channels", record.Lower, "at the lowest reported cap. "))
	return out
}

func (p Plan) note() string {
	var b strings.Builder
	fmt.Fprintf(&b, "model %s; calls per video: %s; projects counted: %s; "+
		"binding: %s", p.Model, strings.Join(p.Calls, ", "),
		strings.Join(p.Projects, ", "), p.Binding)
	for _, w := range p.Warnings {
		b.WriteString("; ")
		b.WriteString(w)
	}
	return b.String()
}

// Emit writes the plan's records for tb.
func Emit(tb testing.TB, p Plan) {
	tb.Helper()
	for _, r := range p.Records() {
		record.Emit(tb, r)
	}
}
