// Package des is a discrete-event simulation engine built for speed and
// for runs that can be repeated bit for bit.
//
// A run goes like this:
//
//  1. Make a Sim and schedule the first events with At or After. An Event
//     carries a scenario-defined Kind and an integer Arg (an index into the
//     scenario's own tables), so scheduling boxes nothing and allocates
//     nothing once the heap has grown.
//  2. Call Run with a handler. The handler is called once per event in
//     order of time; events at the same instant run in the order they
//     were scheduled. Handlers schedule further events.
//  3. Read the statistics: Resource keeps a waiting queue and
//     time-weighted figures of a pool whose capacity may change during the
//     run (autoscaling, failures); TimeWeighted, Histogram and Series
//     stream, so memory does not grow with simulated time.
//
// Randomness comes from Stream, a PCG generator keyed by a seed and a
// stream number: give each source of randomness (arrivals, service times,
// failures) its own stream and a change in one does not shift the others.
// Nothing in the engine iterates a map, so the same seed gives the same
// result.
//
// Time is a time.Duration since the start of the run: integer nanoseconds,
// exact to compare and good for 292 years.
package des
