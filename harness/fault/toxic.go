package fault

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// bgctx is the context toxiproxy's RemoveToxic wants; it only reads a
// logger from it.
var bgctx = context.Background()

// Stream is the direction of traffic a toxic acts on.
type Stream string

// Streams. Upstream is client to service, Downstream service to client.
const (
	Upstream   Stream = "upstream"
	Downstream Stream = "downstream"
	Both       Stream = "both"
)

func (s Stream) valid() bool {
	return s == Upstream || s == Downstream || s == Both
}

// Toxic is one toxiproxy toxic. Type is a toxiproxy toxic type (latency,
// bandwidth, slow_close, timeout, reset_peer, slicer, limit_data) and
// Attributes its attributes in toxiproxy's units (milliseconds, KB/s,
// bytes, microseconds for slicer's delay). Toxicity is the probability,
// 0 to 1, that a connection is affected; 0 means 1.
type Toxic struct {
	Name       string
	Type       string
	Stream     Stream
	Toxicity   float64
	Attributes map[string]int64
}

// names returns the toxiproxy names of t, one per direction.
func (t Toxic) names() []string {
	if t.Stream == Both {
		return []string{t.Name + "-up", t.Name + "-down"}
	}
	return []string{t.Name}
}

// json returns the toxiproxy request bodies that add t.
func (t Toxic) json() ([]io.Reader, error) {
	if t.Name == "" || t.Type == "" {
		return nil, fmt.Errorf("toxic needs a name and a type, got %q and %q",
			t.Name, t.Type)
	}
	if !t.Stream.valid() {
		return nil, fmt.Errorf("toxic %q: stream %q: want upstream, downstream "+
			"or both", t.Name, t.Stream)
	}
	tox := t.Toxicity
	if tox == 0 {
		tox = 1
	}
	if tox < 0 || tox > 1 {
		return nil, fmt.Errorf("toxic %q: toxicity %v: want 0 to 1", t.Name, tox)
	}
	streams := []Stream{t.Stream}
	if t.Stream == Both {
		streams = []Stream{Upstream, Downstream}
	}
	var out []io.Reader
	for i, s := range streams {
		body, err := json.Marshal(map[string]any{
			"name": t.names()[i], "type": t.Type, "stream": string(s),
			"toxicity": tox, "attributes": t.Attributes,
		})
		if err != nil {
			return nil, fmt.Errorf("toxic %q: %w", t.Name, err)
		}
		out = append(out, bytes.NewReader(body))
	}
	return out, nil
}
