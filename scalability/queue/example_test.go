package queue_test

import (
	"fmt"
	"time"

	"github.com/scaletest/scaletest/scalability/queue"
)

func ExampleErlangC() {
	// Ten erlangs of calls on 12 agents: 44.9% of callers wait.
	fmt.Printf("%.4f\n", queue.ErlangC(12, 10))
	// The recursion stays finite where the factorial formula overflows.
	fmt.Printf("%.4f\n", queue.ErlangC(100_000, 99_500))
	// Output:
	// 0.4494
	// 0.0709
}

func ExampleServersFor() {
	// 2 videos a second, 5 minutes of encoding each (600 erlangs),
	// lognormal lengths (cs^2 = e - 1): servers so that 99% start within
	// five minutes.
	q := queue.GGc{
		MMC:        queue.MMC{ArrivalsPerSecond: 2, ServiceSeconds: 300},
		ArrivalSCV: 1, ServiceSCV: 1.718,
	}
	c, err := queue.ServersFor(q, queue.WaitSLO{MaxWait: 5 * time.Minute,
		Probability: 0.01})
	if err != nil {
		panic(err)
	}
	fmt.Println(c)
	// Output: 606
}
