package month

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/scaletest/scaletest/simulation/des"
)

//go:embed assumptions.yaml
var assumptionsYAML []byte

// Assumptions are the figures the simulation takes from its data file
// (assumptions.yaml, embedded); each comes with its source there.
type Assumptions struct {
	// StartupMin and StartupMax bound the uniform time from launching a
	// unit to its taking work.
	StartupMin    time.Duration `yaml:"startup_min"`
	StartupMax    time.Duration `yaml:"startup_max"`
	StartupSource string        `yaml:"startup_source"`
	// GPUHostMTBF and CPUNodeMTBF are the mean times between failures of
	// one GPU host and one CPU node; a failed unit is replaced by a new
	// one, which takes a start-up delay.
	GPUHostMTBF       time.Duration `yaml:"gpu_host_mtbf"`
	GPUHostMTBFSource string        `yaml:"gpu_host_mtbf_source"`
	CPUNodeMTBF       time.Duration `yaml:"cpu_node_mtbf"`
	CPUNodeMTBFSource string        `yaml:"cpu_node_mtbf_source"`
	// SpotInterruptionsPerMonth is the rate at which one spot unit is
	// reclaimed, per 30 days; SpotWarning the notice before it goes.
	SpotInterruptionsPerMonth float64       `yaml:"spot_interruptions_per_month"`
	SpotWarning               time.Duration `yaml:"spot_warning"`
	SpotSource                string        `yaml:"spot_source"`
	// The autoscaler: every AutoscaleInterval it sizes each pool to keep
	// busy slots at AutoscaleTargetUtilisation of its slots, within
	// AutoscaleMinFraction and 1 of the declared units, and stops idle
	// units only after demand stayed low for AutoscaleScaleDownAfter.
	AutoscaleInterval          time.Duration `yaml:"autoscale_interval"`
	AutoscaleTargetUtilisation float64       `yaml:"autoscale_target_utilisation"`
	AutoscaleMinFraction       float64       `yaml:"autoscale_min_fraction"`
	AutoscaleScaleDownAfter    time.Duration `yaml:"autoscale_scale_down_after"`
	AutoscaleSource            string        `yaml:"autoscale_source"`
	// ServiceSigma is the shape of the lognormal factor (mean 1) that
	// spreads one video's service time around the plan's mean.
	ServiceSigma  float64 `yaml:"service_sigma"`
	ServiceSource string  `yaml:"service_source"`
	// UploadConcurrency uploads run at once, each at UploadMbps megabits
	// per second; UploadBackendErrorRate of calls fail with backendError.
	UploadConcurrency      int     `yaml:"upload_concurrency"`
	UploadMbps             float64 `yaml:"upload_mbps"`
	UploadBackendErrorRate float64 `yaml:"upload_backend_error_rate"`
	UploadSource           string  `yaml:"upload_source"`
	// PublishExtraCalls are the API methods each published video also
	// calls, charged to the general bucket.
	PublishExtraCalls  []string `yaml:"publish_extra_calls"`
	PublishExtraSource string   `yaml:"publish_extra_source"`
	// Drain is how long the run goes on after the last arrival.
	Drain       time.Duration `yaml:"drain"`
	DrainSource string        `yaml:"drain_source"`
}

// DefaultAssumptions returns the embedded assumptions. It panics if the
// embedded file is broken, which a test rules out.
func DefaultAssumptions() Assumptions {
	a, err := ParseAssumptions(assumptionsYAML)
	if err != nil {
		panic(fmt.Sprintf("month: embedded assumptions: %v", err))
	}
	return a
}

// ParseAssumptions decodes an assumptions file strictly (unknown keys
// are errors) and validates it.
func ParseAssumptions(data []byte) (Assumptions, error) {
	var a Assumptions
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		return a, fmt.Errorf("parse assumptions: %w", err)
	}
	return a, a.Validate()
}

// Validate reports every impossible figure.
func (a Assumptions) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	if a.StartupMin < 0 || a.StartupMax < a.StartupMin {
		bad("startup: want 0 <= min <= max, got %v and %v", a.StartupMin,
			a.StartupMax)
	}
	if a.GPUHostMTBF < 0 || a.CPUNodeMTBF < 0 {
		bad("mtbf must not be negative")
	}
	if a.SpotInterruptionsPerMonth < 0 || a.SpotWarning < 0 {
		bad("spot interruptions and warning must not be negative")
	}
	if a.AutoscaleInterval <= 0 {
		bad("autoscale_interval must be positive, got %v", a.AutoscaleInterval)
	}
	if !(a.AutoscaleTargetUtilisation > 0 && a.AutoscaleTargetUtilisation <= 1) {
		bad("autoscale_target_utilisation must be in (0, 1], got %v",
			a.AutoscaleTargetUtilisation)
	}
	if !(a.AutoscaleMinFraction >= 0 && a.AutoscaleMinFraction <= 1) {
		bad("autoscale_min_fraction must be in [0, 1], got %v",
			a.AutoscaleMinFraction)
	}
	if a.ServiceSigma < 0 {
		bad("service_sigma must not be negative, got %v", a.ServiceSigma)
	}
	if a.UploadConcurrency < 1 || a.UploadMbps <= 0 {
		bad("upload: want concurrency >= 1 and a positive rate")
	}
	if !(a.UploadBackendErrorRate >= 0 && a.UploadBackendErrorRate < 1) {
		bad("upload_backend_error_rate must be in [0, 1), got %v",
			a.UploadBackendErrorRate)
	}
	if a.Drain < 0 {
		bad("drain must not be negative, got %v", a.Drain)
	}
	return errors.Join(errs...)
}

// Params are the settings of one run besides scale.yaml.
type Params struct {
	// Seed makes the run: the same seed gives the same Result.
	Seed uint64
	// Start is the wall-clock time of the run's first instant; the
	// hourly shape is read in UTC and the quota day in Pacific time.
	Start time.Time
	// Fraction is the share of the month's volume played, 0 to 1; pools,
	// quotas and channel caps shrink by the same share (at least one unit
	// each), so utilisation stays as at full volume.
	Fraction float64
	// Days is the length of the month; 0 means targets.volume.
	// days_per_month.
	Days float64
	// Autoscale turns the autoscaler on. Off, every declared unit runs
	// all month from the start.
	Autoscale bool
	// Points is the number of points of each time series.
	Points int
	// Assumptions are the figures from assumptions.yaml.
	Assumptions Assumptions
	// Progress, when set, is called about every ProgressEvery events with
	// the share of simulated time done.
	Progress      func(des.Progress)
	ProgressEvery uint64
}

// DefaultStart is 2026-06-01 00:00 UTC, a Monday, the first day of the
// YouTube quota model of scale.yaml.
var DefaultStart = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// DefaultParams returns the parameters of a run over the whole volume
// with seed 1, the autoscaler on and 720 points per series (one an hour).
func DefaultParams() Params {
	return Params{Seed: 1, Start: DefaultStart, Fraction: 1, Autoscale: true,
		Points: 720, Assumptions: DefaultAssumptions()}
}

func (p *Params) validate() error {
	var errs []error
	if !(p.Fraction > 0 && p.Fraction <= 1) {
		errs = append(errs, fmt.Errorf("fraction must be in (0, 1], got %v",
			p.Fraction))
	}
	if p.Days < 0 {
		errs = append(errs, fmt.Errorf("days must not be negative, got %v",
			p.Days))
	}
	if p.Points < 1 {
		errs = append(errs, fmt.Errorf("points must be at least 1, got %d",
			p.Points))
	}
	if p.Start.IsZero() {
		errs = append(errs, errors.New("start time is not set"))
	}
	if err := p.Assumptions.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("month params: %w", err)
	}
	return nil
}
