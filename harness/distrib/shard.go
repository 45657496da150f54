package distrib

import (
	"fmt"
	"os"
	"strconv"
)

// Environment variables a pod reads its shard from. Kubernetes sets
// JOB_COMPLETION_INDEX in every pod of an Indexed Job; the manifest sets
// SCALETEST_SHARDS to the number of completions.
const (
	EnvIndex  = "JOB_COMPLETION_INDEX"
	EnvShards = "SCALETEST_SHARDS"
)

// Shard is one part of a distributed run: Index in [0, Count).
type Shard struct {
	Index int
	Count int
}

// Whole is the shard of a run that is not distributed.
var Whole = Shard{Index: 0, Count: 1}

// ShardFromEnv returns the shard named by JOB_COMPLETION_INDEX and
// SCALETEST_SHARDS, or Whole when neither is set.
func ShardFromEnv() (Shard, error) {
	idx, n := os.Getenv(EnvIndex), os.Getenv(EnvShards)
	if idx == "" && n == "" {
		return Whole, nil
	}
	if idx == "" || n == "" {
		return Shard{}, fmt.Errorf("shard: %s=%q and %s=%q must be set together",
			EnvIndex, idx, EnvShards, n)
	}
	i, err := strconv.Atoi(idx)
	if err != nil {
		return Shard{}, fmt.Errorf("shard: %s: %w", EnvIndex, err)
	}
	c, err := strconv.Atoi(n)
	if err != nil {
		return Shard{}, fmt.Errorf("shard: %s: %w", EnvShards, err)
	}
	s := Shard{Index: i, Count: c}
	return s, s.Validate()
}

// Validate reports an impossible shard.
func (s Shard) Validate() error {
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard %d of %d: want 0 <= index < count", s.Index, s.Count)
	}
	return nil
}

// Owns reports whether operation (or sweep cell) i belongs to this shard.
func (s Shard) Owns(i int) bool { return i%s.Count == s.Index }

// Global returns the index in the whole schedule of this shard's local
// operation j.
func (s Shard) Global(j int64) int64 { return j*int64(s.Count) + int64(s.Index) }

// Ops returns how many of the first n operations this shard owns.
func (s Shard) Ops(n int) int {
	if n <= s.Index {
		return 0
	}
	return (n-1-s.Index)/s.Count + 1
}

// Rate returns this shard's share of a total arrival rate, in the unit of
// total. Over a long schedule operation i mod N gives each shard 1/N of
// the operations; the shares sum to total.
func (s Shard) Rate(total float64) float64 { return total / float64(s.Count) }

// Cells returns the indices of the n sweep cells this shard runs.
func (s Shard) Cells(n int) []int {
	var out []int
	for i := s.Index; i < n; i += s.Count {
		out = append(out, i)
	}
	return out
}

// String formats the shard as "shard-<index>", the name of its results
// directory.
func (s Shard) String() string { return fmt.Sprintf("shard-%d", s.Index) }
