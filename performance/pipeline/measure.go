package pipeline

import "time"

// Measurement is what one stage, or a whole profile, cost on one video.
type Measurement struct {
	// Stage is the stage name, or the profile name for a total.
	Stage string
	// Wall is the elapsed time; CPU the children's user plus system time.
	Wall, CPU time.Duration
	// Media is the duration of the source video.
	Media time.Duration
	// OutputBytes is the size of what the stage wrote; for a total, the
	// published outputs (packages and thumbnail).
	OutputBytes int64
}

// RTF is the real-time factor: processing seconds per media second
// (0.5 = twice as fast as playback). Lower is better.
func (m Measurement) RTF() float64 { return m.Wall.Seconds() / m.Media.Seconds() }

// Speed is the inverse of RTF, media seconds per processing second, as
// ffmpeg's speed= reports it. Higher is better.
func (m Measurement) Speed() float64 { return m.Media.Seconds() / m.Wall.Seconds() }

// CPUPerMediaSecond is CPU seconds spent per media second.
func (m Measurement) CPUPerMediaSecond() float64 {
	return m.CPU.Seconds() / m.Media.Seconds()
}

// BytesPerMediaSecond is output bytes per media second.
func (m Measurement) BytesPerMediaSecond() float64 {
	return float64(m.OutputBytes) / m.Media.Seconds()
}

// VideosPerHourPerCore is how many videos of length meanVideo one CPU
// core processes in an hour at this measurement's CPU cost:
// 3600 / (CPU seconds per media second * mean video seconds). It counts
// CPU time, not wall time, so it is the throughput of a worker kept busy
// with enough videos in parallel to fill its cores.
func (m Measurement) VideosPerHourPerCore(meanVideo time.Duration) float64 {
	return 3600 / (m.CPUPerMediaSecond() * meanVideo.Seconds())
}

// Result is the measurement of every stage of a profile run and their
// total.
type Result struct {
	Stages []Measurement
	// Total sums the stages' wall and CPU time; its OutputBytes are the
	// published outputs.
	Total Measurement
}

// Stage returns the measurement of the stage called name.
func (r Result) Stage(name string) (Measurement, bool) {
	for _, m := range r.Stages {
		if m.Stage == name {
			return m, true
		}
	}
	return Measurement{}, false
}
