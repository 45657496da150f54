package benchgate

import (
	"fmt"
	"strings"
)

// FindingKind is why (part of) a comparison could not be made or trusted.
type FindingKind string

// Kinds of findings.
const (
	// TooFewSamples: with n runs per side the smallest possible p of the
	// U test is above alpha, so no change can be significant.
	TooFewSamples FindingKind = "too-few-samples"
	// ConfigMismatch: base and new differ in cpu, goos, goarch or
	// package; benchstat puts them in separate tables, never compared.
	ConfigMismatch FindingKind = "config-mismatch"
	// GOMAXPROCSMismatch: the same benchmark ran with different
	// GOMAXPROCS (its -N suffix), so the names do not match.
	GOMAXPROCSMismatch FindingKind = "gomaxprocs-mismatch"
	// UnknownDirection: the unit has no better= metadata and is not a
	// unit benchfmt knows, so worse cannot be told from better.
	UnknownDirection FindingKind = "unknown-direction"
	// MissingInBase and MissingInNew: a benchmark or unit on one side
	// only.
	MissingInBase FindingKind = "missing-in-base"
	MissingInNew  FindingKind = "missing-in-new"
	// Unparsable: lines of a file that are not valid benchmark format.
	Unparsable FindingKind = "unparsable"
	// NoResults: a file holds no benchmark results at all.
	NoResults FindingKind = "no-results"
	// Mixed: results grouped together differ in some other key; the
	// comparison is made, but may mix unlike runs. Not blocking.
	Mixed FindingKind = "mixed"
	// Noisy: benchmath warns about a sample (an exact unit that varies).
	// Not blocking.
	Noisy FindingKind = "noisy"
)

// Blocking reports whether findings of kind k fail a strict gate.
func (k FindingKind) Blocking() bool { return k != Mixed && k != Noisy }

// Finding is one reason, said once for every benchmark it applies to.
type Finding struct {
	Kind FindingKind
	// Unit is the unit concerned, when the finding is about one.
	Unit string
	// Detail explains the finding and what to do about it.
	Detail string
	// Benchmarks lists the benchmarks it applies to (package and name).
	Benchmarks []string
}

func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(string(f.Kind))
	if f.Unit != "" {
		fmt.Fprintf(&b, " [%s]", f.Unit)
	}
	b.WriteString(": ")
	b.WriteString(f.Detail)
	switch n := len(f.Benchmarks); {
	case n == 1:
		fmt.Fprintf(&b, " (%s)", f.Benchmarks[0])
	case n > 1:
		fmt.Fprintf(&b, " (%s and %d more)", f.Benchmarks[0], n-1)
	}
	return b.String()
}

// findings gathers findings, one per kind, unit and detail.
type findings struct {
	list  []Finding
	index map[[3]string]int
}

func (fs *findings) add(kind FindingKind, unit, detail, bench string) {
	if fs.index == nil {
		fs.index = map[[3]string]int{}
	}
	key := [3]string{string(kind), unit, detail}
	i, ok := fs.index[key]
	if !ok {
		i = len(fs.list)
		fs.index[key] = i
		fs.list = append(fs.list, Finding{Kind: kind, Unit: unit, Detail: detail})
	}
	if bench != "" {
		fs.list[i].Benchmarks = append(fs.list[i].Benchmarks, bench)
	}
}
