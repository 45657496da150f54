package queue

import (
	"math"
	"time"
)

// MMC is an M/M/c queue: Poisson arrivals, exponential service, Servers
// identical servers and an unbounded first-come-first-served queue.
type MMC struct {
	// ArrivalsPerSecond is the arrival rate lambda.
	ArrivalsPerSecond float64
	// ServiceSeconds is the mean service time 1/mu of one job.
	ServiceSeconds float64
	// Servers is c.
	Servers int
}

// Load returns the offered load a = lambda / mu in erlangs.
func (q MMC) Load() float64 { return q.ArrivalsPerSecond * q.ServiceSeconds }

// Utilization returns rho = a / c, the busy share of each server.
func (q MMC) Utilization() float64 { return q.Load() / float64(q.Servers) }

// Stable reports whether the queue has a steady state (rho < 1).
func (q MMC) Stable() bool { return q.Servers > 0 && q.Load() < float64(q.Servers) }

// ProbWait returns the Erlang C probability that a job waits at all.
func (q MMC) ProbWait() float64 { return ErlangC(q.Servers, q.Load()) }

// MeanWaitSeconds returns Wq = C / (c mu - lambda), the mean time in queue
// before service; +Inf when the queue is unstable.
func (q MMC) MeanWaitSeconds() float64 {
	if !q.Stable() {
		return math.Inf(1)
	}
	return q.ProbWait() / q.drain()
}

// WaitExceeds returns P(W > t) = C exp(-(c mu - lambda) t), the
// probability that a job waits longer than t; 1 when unstable.
func (q MMC) WaitExceeds(t time.Duration) float64 {
	if !q.Stable() {
		return 1
	}
	return q.ProbWait() * math.Exp(-q.drain()*t.Seconds())
}

// drain is c mu - lambda, the rate at which a full queue empties, per
// second.
func (q MMC) drain() float64 {
	return float64(q.Servers)/q.ServiceSeconds - q.ArrivalsPerSecond
}

// GGc is a G/G/c queue approximated by Allen-Cunneen: the M/M/c waits
// scaled by (ca^2 + cs^2) / 2, where ca^2 and cs^2 are the squared
// coefficients of variation of the interarrival and service times.
// Poisson arrivals have ca^2 = 1, exponential service cs^2 = 1 (which
// gives M/M/c back); a lognormal service with shape sigma has
// cs^2 = exp(sigma^2) - 1.
type GGc struct {
	MMC
	// ArrivalSCV is ca^2.
	ArrivalSCV float64
	// ServiceSCV is cs^2.
	ServiceSCV float64
}

// Factor returns the Allen-Cunneen factor (ca^2 + cs^2) / 2.
func (q GGc) Factor() float64 { return (q.ArrivalSCV + q.ServiceSCV) / 2 }

// MeanWaitSeconds returns the Allen-Cunneen mean wait, M/M/c Wq times
// Factor; +Inf when unstable.
func (q GGc) MeanWaitSeconds() float64 { return q.MMC.MeanWaitSeconds() * q.Factor() }

// WaitExceeds approximates P(W > t) keeping the M/M/c probability of
// waiting and stretching the exponential tail by Factor, so that its mean
// matches MeanWaitSeconds: C exp(-(c mu - lambda) t / Factor). It is a
// heuristic, exact only for M/M/c (Factor 1).
func (q GGc) WaitExceeds(t time.Duration) float64 {
	if !q.Stable() {
		return 1
	}
	f := q.Factor()
	if f <= 0 {
		return 0 // deterministic arrivals and service never wait below rho 1
	}
	return q.ProbWait() * math.Exp(-q.drain()*t.Seconds()/f)
}
