package fault

import (
	"slices"
	"strings"
	"time"
)

// Kind is what a fault does.
type Kind string

// Network kinds act on a Proxy.
const (
	// Latency delays every chunk by Params.Latency ± Params.Jitter.
	Latency Kind = "latency"
	// Bandwidth caps the rate at Params.KilobytesPerSecond (1 KB = 1000 B).
	Bandwidth Kind = "bandwidth"
	// SlowClose delays the close of a connection by Params.Delay.
	SlowClose Kind = "slow_close"
	// Timeout stops all data; connections close after Params.After, or
	// never when After is 0 (a black hole).
	Timeout Kind = "timeout"
	// ResetPeer resets connections (TCP RST) Params.After after they
	// next carry data.
	ResetPeer Kind = "reset_peer"
	// Slicer cuts data into chunks of Params.AverageSize ±
	// Params.SizeVariation bytes, Params.Delay apart.
	Slicer Kind = "slicer"
	// LimitData closes a connection once it has carried Params.Bytes.
	LimitData Kind = "limit_data"
	// Partition cuts the service off: Params.Mode refuse stops the proxy
	// (connections refused, open ones closed), blackhole drops all data
	// both ways while connections stay open.
	Partition Kind = "partition"
)

// Service kinds act on a Service.
const (
	// Kill kills the service with SIGKILL; it is restarted when the
	// fault's duration ends.
	Kill Kind = "kill"
	// Pause freezes the service (SIGSTOP) for the fault's duration.
	Pause Kind = "pause"
	// Restart stops the service cleanly and starts it again; it has no
	// duration.
	Restart Kind = "restart"
)

// Crash is the worker kind: Params.Count workers die mid-job, and as many
// replacements start when the fault's duration ends.
const Crash Kind = "crash"

// Kinds lists every kind in a stable order.
var Kinds = []Kind{Latency, Bandwidth, SlowClose, Timeout, ResetPeer, Slicer,
	LimitData, Partition, Kill, Pause, Restart, Crash}

// Category is the kind of target a fault needs.
type Category string

// Categories of targets.
const (
	NetworkFault Category = "network" // a Proxy
	ServiceFault Category = "service" // a Service
	WorkerFault  Category = "worker"  // a Crasher
)

// Category returns the kind of target k acts on, or "" for an unknown k.
func (k Kind) Category() Category {
	switch k {
	case Latency, Bandwidth, SlowClose, Timeout, ResetPeer, Slicer,
		LimitData, Partition:
		return NetworkFault
	case Kill, Pause, Restart:
		return ServiceFault
	case Crash:
		return WorkerFault
	}
	return ""
}

// exclusive reports whether two faults of kinds that return true must not
// overlap on one target (they both change whether it is reachable).
func (k Kind) exclusive() bool {
	return k == Partition || k.Category() == ServiceFault
}

func kindNames() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// PartitionMode is how a Partition cuts a service off.
type PartitionMode string

// Partition modes.
const (
	Refuse    PartitionMode = "refuse"
	Blackhole PartitionMode = "blackhole"
)

// Params are the settings of a fault. Each kind reads the fields listed in
// its doc and must leave the others zero.
type Params struct {
	Latency            time.Duration // latency
	Jitter             time.Duration // latency
	KilobytesPerSecond int64         // bandwidth, 1 KB = 1000 bytes
	After              time.Duration // timeout, reset_peer
	AverageSize        int64         // slicer, bytes
	SizeVariation      int64         // slicer, bytes, below AverageSize
	Delay              time.Duration // slicer, slow_close
	Bytes              int64         // limit_data
	// Stream is the direction a network toxic acts on, Both by default.
	Stream Stream
	// Toxicity is the share of connections affected, 0 to 1; 0 means 1.
	Toxicity float64
	Mode     PartitionMode // partition, Refuse by default
	Count    int           // crash, 1 by default
}

// paramSpec describes one parameter as it is written in a schedule.
type paramSpec struct {
	name string
	// zero reports whether the field is unset in p.
	zero func(p *Params) bool
}

var paramSpecs = []paramSpec{
	{"latency", func(p *Params) bool { return p.Latency == 0 }},
	{"jitter", func(p *Params) bool { return p.Jitter == 0 }},
	{"kilobytes_per_second", func(p *Params) bool { return p.KilobytesPerSecond == 0 }},
	{"after", func(p *Params) bool { return p.After == 0 }},
	{"average_size", func(p *Params) bool { return p.AverageSize == 0 }},
	{"size_variation", func(p *Params) bool { return p.SizeVariation == 0 }},
	{"delay", func(p *Params) bool { return p.Delay == 0 }},
	{"bytes", func(p *Params) bool { return p.Bytes == 0 }},
	{"stream", func(p *Params) bool { return p.Stream == "" }},
	{"toxicity", func(p *Params) bool { return p.Toxicity == 0 }},
	{"mode", func(p *Params) bool { return p.Mode == "" }},
	{"count", func(p *Params) bool { return p.Count == 0 }},
}

// kindParams lists, per kind, the parameters it accepts; the required ones
// are marked with a trailing "!".
var kindParams = map[Kind][]string{
	Latency:   {"latency!", "jitter", "stream", "toxicity"},
	Bandwidth: {"kilobytes_per_second!", "stream", "toxicity"},
	SlowClose: {"delay!", "stream", "toxicity"},
	Timeout:   {"after", "stream", "toxicity"},
	ResetPeer: {"after", "stream", "toxicity"},
	Slicer: {"average_size!", "size_variation", "delay", "stream",
		"toxicity"},
	LimitData: {"bytes!", "stream", "toxicity"},
	Partition: {"mode"},
	Kill:      {},
	Pause:     {},
	Restart:   {},
	Crash:     {"count"},
}

// accepts reports whether kind k takes the parameter name, and whether it
// must be set.
func (k Kind) accepts(name string) (ok, required bool) {
	for _, p := range kindParams[k] {
		if strings.TrimSuffix(p, "!") == name {
			return true, strings.HasSuffix(p, "!")
		}
	}
	return false, false
}

func (k Kind) paramNames() string {
	var s []string
	for _, p := range kindParams[k] {
		s = append(s, strings.TrimSuffix(p, "!"))
	}
	if len(s) == 0 {
		return "none"
	}
	slices.Sort(s)
	return strings.Join(s, ", ")
}

// toxic returns the toxiproxy toxic of a network fault other than a
// refusing partition, named name.
func (f *Fault) toxic(name string) Toxic {
	p := f.Params
	t := Toxic{Name: name, Type: string(f.What), Stream: p.Stream,
		Toxicity: p.Toxicity}
	if t.Stream == "" {
		t.Stream = Both
	}
	ms := func(d time.Duration) int64 { return d.Milliseconds() }
	switch f.What {
	case Latency:
		t.Attributes = map[string]int64{"latency": ms(p.Latency),
			"jitter": ms(p.Jitter)}
	case Bandwidth:
		t.Attributes = map[string]int64{"rate": p.KilobytesPerSecond}
	case SlowClose:
		t.Attributes = map[string]int64{"delay": ms(p.Delay)}
	case Timeout, ResetPeer:
		t.Attributes = map[string]int64{"timeout": ms(p.After)}
	case Slicer:
		t.Attributes = map[string]int64{"average_size": p.AverageSize,
			"size_variation": p.SizeVariation,
			"delay":          p.Delay.Microseconds()}
	case LimitData:
		t.Attributes = map[string]int64{"bytes": p.Bytes}
	case Partition: // blackhole: a timeout that never closes, both ways
		t.Type, t.Stream, t.Toxicity = string(Timeout), Both, 1
		t.Attributes = map[string]int64{"timeout": 0}
	}
	return t
}
