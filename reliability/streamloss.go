package reliability

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/scaletest/scaletest/harness/fault"
)

// StreamLoss is what one kill or restart of the Redis server took from
// the job stream: entries Redis had acknowledged that were gone after it
// came back.
type StreamLoss struct {
	Fault fault.Applied
	// Persistence is the server's setting, as "appendonly=yes
	// appendfsync=everysec save=".
	Persistence string
	// Acked is the number of entries acknowledged after the previous
	// loss point (or the start) and before the fault began; Lost how
	// many of them were missing afterwards.
	Acked int
	Lost  int
	// Window is the time from the acknowledgement of the oldest lost
	// entry to the start of the fault: how much recent history went.
	Window time.Duration
}

// redisPersistence reads the persistence settings of the Redis server.
func (x *run) redisPersistence(ctx context.Context) (string, error) {
	var parts []string
	for _, k := range []string{"appendonly", "appendfsync", "save"} {
		v, err := x.raudit.ConfigGet(ctx, k).Result()
		if err != nil {
			return "", fmt.Errorf("config get %s: %w", k, err)
		}
		parts = append(parts, k+"="+v[k])
	}
	return strings.Join(parts, " "), nil
}

// streamLoss fills o.StreamLoss for each kill or restart of the Redis
// server in the schedule.
func (x *run) streamLoss(ctx context.Context, o *Outcome) error {
	var losses []fault.Applied
	if o.Faults != nil {
		for _, a := range o.Faults.Faults {
			f := a.Fault
			if f.Target == ServerRedis && !a.Start.IsZero() &&
				(f.What == fault.Kill || f.What == fault.Restart) {
				losses = append(losses, a)
			}
		}
	}
	if len(losses) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	entries, err := x.raudit.XRange(ctx, x.env.StreamKey, "-", "+").Result()
	if err != nil {
		return fmt.Errorf("read stream: %w", err)
	}
	present := map[string]bool{}
	for _, e := range entries {
		present[e.ID] = true
	}

	pubs := x.pipe.Published()
	var prev time.Time
	for _, a := range losses {
		l := StreamLoss{Fault: a, Persistence: x.persistence}
		for _, p := range pubs {
			if p.At.Before(prev) || !p.At.Before(a.Began) {
				continue
			}
			l.Acked++
			if !present[p.Entry] {
				l.Lost++
				l.Window = max(l.Window, a.Began.Sub(p.At))
			}
		}
		o.StreamLoss = append(o.StreamLoss, l)
		prev = a.Began
	}
	return nil
}
