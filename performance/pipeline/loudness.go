package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// loudness is what ffmpeg's loudnorm measured in its first pass: input
// integrated loudness (LUFS), true peak (dBTP), loudness range (LU),
// threshold (LUFS) and the offset to the target (LU). Silent is set for
// audio that measured -inf: it is encoded without normalisation.
type loudness struct {
	I, TP, LRA, Thresh, Offset float64
	Silent                     bool
}

// errSilent is parseLoudnorm's answer for silent audio.
var errSilent = errors.New("silent audio cannot be normalised")

// parseLoudnorm finds the JSON block loudnorm prints at the end of its
// log and reads the measured values.
func parseLoudnorm(log string) (*loudness, error) {
	start := strings.LastIndex(log, "{")
	end := strings.LastIndex(log, "}")
	if start < 0 || end < start {
		return nil, fmt.Errorf("loudnorm printed no measurement")
	}
	var raw struct {
		I      string `json:"input_i"`
		TP     string `json:"input_tp"`
		LRA    string `json:"input_lra"`
		Thresh string `json:"input_thresh"`
		Offset string `json:"target_offset"`
	}
	if err := json.Unmarshal([]byte(log[start:end+1]), &raw); err != nil {
		return nil, fmt.Errorf("parse loudnorm measurement: %w", err)
	}
	var l loudness
	for _, f := range []struct {
		name string
		s    string
		v    *float64
	}{{"input_i", raw.I, &l.I}, {"input_tp", raw.TP, &l.TP},
		{"input_lra", raw.LRA, &l.LRA}, {"input_thresh", raw.Thresh, &l.Thresh},
		{"target_offset", raw.Offset, &l.Offset}} {
		v, err := strconv.ParseFloat(f.s, 64)
		if err != nil {
			return nil, fmt.Errorf("loudnorm %s = %q: %w", f.name, f.s, err)
		}
		if math.IsInf(v, 0) || math.IsNaN(v) {
			// Silence measures -inf: there is nothing to normalise.
			return nil, fmt.Errorf("loudnorm %s = %q: %w", f.name, f.s,
				errSilent)
		}
		*f.v = v
	}
	return &l, nil
}

// filterArgs are the measured_* options of loudnorm's second pass.
func (l *loudness) filterArgs() string {
	return fmt.Sprintf("measured_I=%.2f:measured_TP=%.2f:measured_LRA=%.2f:"+
		"measured_thresh=%.2f:offset=%.2f", l.I, l.TP, l.LRA, l.Thresh,
		l.Offset)
}
