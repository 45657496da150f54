package fault_test

import (
	"fmt"

	"github.com/scaletest/scaletest/harness/fault"
)

func ExampleParse() {
	s, err := fault.Parse("outage.yaml", []byte(`
name: outage
faults:
  - {what: latency, target: redis, at: 1s, duration: 2s,
     params: {latency: 200ms}}
  - {what: kill, target: postgres-server, at: 4s, duration: 1s}
  - {what: crash, target: workers, at: 6s, params: {count: 2}}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range s.Faults {
		fmt.Printf("%-30s %s\n", f, f.What.Category())
	}
	fmt.Println("over after", s.End())

	_, err = fault.Parse("bad.yaml", []byte(`
faults:
  - {what: kill, target: redis-server, duration: 2s, params: {count: 1}}
`))
	fmt.Println(err)
	// Output:
	// latency redis at 1s for 2s     network
	// kill postgres-server at 4s for 1s service
	// crash workers at 6s            worker
	// over after 6s
	// bad.yaml:3: faults[0].params.count: not a parameter of kill (known: none)
}
