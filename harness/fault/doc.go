// Package fault injects faults between a system under test and the services
// it depends on, on a timeline that is written as data.
//
// Three kinds of fault are covered:
//
//  1. Network faults through an embedded toxiproxy: a Network holds one
//     Proxy per service, the clients dial Proxy.Addr instead of the
//     service, and toxics add latency, cap bandwidth, stall or reset
//     connections, slice packets, cut a connection after some bytes, or
//     partition the service away entirely.
//  2. Service faults through a Service handle (harness/services provides
//     them): kill -9, pause (SIGSTOP) and restart.
//  3. Worker crashes through a Crasher: a worker dies between claiming a
//     job and acknowledging it, as a kill -9 of its process would leave it.
//
// A Schedule lists faults by what, target, at, duration and params. Parse
// reads one from YAML or JSON strictly, naming the line and field of every
// problem; a Runner checks it against its targets, applies each fault at
// its time, removes it when its duration ends and returns a Report of what
// was applied when. Every step runs under a deadline, and a cancelled run
// removes what it applied before it returns.
//
// toxiproxy logs through zerolog; NewNetwork gives its proxies a discarding
// logger and silences zerolog's global logger, which no other part of the
// suite uses, so that the package never writes to global output.
package fault
