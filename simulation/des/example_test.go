package des_test

import (
	"fmt"
	"math"
	"time"

	"github.com/scaletest/scaletest/simulation/des"
)

// An M/M/2 queue: arrivals every 40 s on average, service of a minute,
// two servers (load 0.75). Erlang C gives a mean wait of 77 s.
func Example() {
	const (
		arrive des.Kind = iota
		depart
	)
	sim := des.New(16)
	servers := des.NewResource(2)
	arrivals, service := des.NewStream(1, 1), des.NewStream(1, 2)
	n := 0
	sim.After(arrivals.Exp(40*time.Second), arrive, 0, 0)
	sim.Run(math.MaxInt64, func(s *des.Sim, ev des.Event) {
		switch ev.Kind {
		case arrive:
			if n++; n < 200_000 {
				s.After(arrivals.Exp(40*time.Second), arrive, 0, 0)
			}
			if servers.Request(s.Now(), 0) {
				s.After(service.Exp(time.Minute), depart, 0, 0)
			}
		case depart:
			servers.Release(s.Now())
			if _, _, ok := servers.Admit(s.Now()); ok {
				s.After(service.Exp(time.Minute), depart, 0, 0)
			}
		}
	}, des.RunOptions{})
	fmt.Printf("mean wait %.0f s over %d jobs\n", servers.Waits.Mean(),
		servers.Waits.Count())
	// Output:
	// mean wait 77 s over 200000 jobs
}
